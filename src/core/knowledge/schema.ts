import { z } from 'zod';

/** The catalog's intent ids are kebab-case ASCII. */
export const IntentId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'id は英小文字・数字・ハイフンのみ');

/** The answer facets a question can ask for. `overview` is the default. */
export const FACETS = ['overview', 'cost', 'how', 'who', 'where', 'contact'] as const;
export const Facet = z.enum(FACETS);
export type Facet = z.infer<typeof Facet>;
export const SERVICE_FACETS = FACETS;

/** Smalltalk ids answer with a fixed text and need only an overview. */
export const SMALLTALK_IDS = ['greeting', 'thanks', 'help'] as const;

/** Rich-menu topic groups that every service entry belongs to. */
export const TOPICS = ['azuketai', 'okane', 'kenshin', 'ninshin', 'soudan', 'info', 'smalltalk'] as const;
export const Topic = z.enum(TOPICS);

/** Family circumstances that make a service available or especially fitting. */
export const CONDITIONS = ['working', 'single_parent', 'island', 'sick_child', 'development'] as const;
export const Condition = z.enum(CONDITIONS);
export type Condition = z.infer<typeof Condition>;

export const CONDITION_LABELS: Record<Condition, string> = {
  working: '保護者が就労中',
  single_parent: 'ひとり親家庭',
  island: '島にお住まい',
  sick_child: 'お子さんが病気・回復期',
  development: '発達についての心配がある',
};

/** What a family may be looking for: the guided consultation's second question. */
export const NEEDS = ['azuketai', 'okane', 'kenko', 'soudan', 'tetsuzuki', 'asobi'] as const;
export const Need = z.enum(NEEDS);
export type Need = z.infer<typeof Need>;
export const NEED_LABELS: Record<Need, string> = {
  azuketai: '預けたい',
  okane: 'お金の支援',
  kenko: '健康・健診',
  soudan: '相談したい',
  tetsuzuki: '手続き',
  asobi: '遊び・交流',
};

/**
 * Who a service is for, in data: the child's age span (written as staff would: 「0歳」「小6」「妊娠中」「就学前」),
 * conditions that must hold, conditions it especially suits, and the needs it meets — each with its sources.
 */
export const Eligibility = z
  .object({
    age: z.object({ from: z.string().min(1), to: z.string().min(1) }).strict().optional(),
    requires: z.array(Condition).default([]),
    suits: z.array(Condition).default([]),
    needs: z.array(Need).min(1, 'needs（どんな困りごとに合うか）を1つ以上書いてください'),
    /** ids of `sources` in the same file. */
    sources: z.array(z.string()).min(1, '出典（sources）が必要です'),
    /** What a family should confirm with 子育て支援課 when the rules are not confirmed (「笠岡市での申込条件」). */
    confirm: z.string().optional(),
    /** false: answered when asked, but not suggested in the guided consultation (reporting abuse, for one). */
    recommend: z.boolean().default(true),
  })
  .strict();
export type Eligibility = z.infer<typeof Eligibility>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日付は YYYY-MM-DD で書いてください');

/** Japanese phone numbers as written on city pages: 0865-69-2132, 0120-189-783, #8000, 189, 119. */
export const PHONE_RE = /^(0\d{1,4}-\d{1,4}-\d{3,4}|#\d{4}|1\d{2})$/;

export const VALID_UNTIL_RE = /^(\d{4}-\d{2}-\d{2}|\d{4}年度)$/;

/** The last day a `validUntil` covers: 「2026年度」 is Japan's fiscal year, April 2026 to 31 March 2027. */
export function validUntilDate(validUntil: string): string | undefined {
  const fy = /^(\d{4})年度$/.exec(validUntil);
  if (fy) return `${Number(fy[1]) + 1}-03-31`;
  return /^\d{4}-\d{2}-\d{2}$/.test(validUntil) ? validUntil : undefined;
}

export const Source = z
  .object({
    id: z.string().min(1),
    url: z.url({ protocol: /^https?$/, message: 'url は http(s):// で始まる URL にしてください' }),
    title: z.string().min(1),
    /** The period the source describes, as the fact sheet notes it (e.g. 「2024年4月更新」「掲載時期不明」). */
    asOf: z.string().optional(),
    /** When a person last compared this knowledge entry with the source. */
    checked: isoDate,
    /**
     * Until when the facts taken from this source hold (a fiscal year 「2026年度」 = to 2027-03-31, or a date):
     * past it the console lists the entry for re-checking. Optional: most pages carry no end date.
     */
    validUntil: z.string().regex(VALID_UNTIL_RE, '有効期限は「2026年度」か「2027-03-31」のように書いてください').optional(),
    /** Not an official city/national page: the bot must not state its facts as certain. */
    thirdParty: z.boolean().default(false),
  })
  .strict();
export type Source = z.infer<typeof Source>;

/**
 * A statement that holds only for a while: a rule with the day it takes effect (`from`) and/or its last day
 * (`until`). The bot tells the statements in force today after the facet's text, a statement that ends within
 * NOTICE_DAYS with its last day, and a statement that starts within NOTICE_DAYS as the coming rule with its first
 * day (「【2027年4月1日から】…」); a coming rule further off is not told yet, a past one never again. Write the text
 * as the rule itself (「入院・通院とも高校生までが対象です」), not as news of a change: the bot adds the dates.
 * `kb:check` fails once a `from` or `until` has passed, so staff fold a rule now in force into the text and remove
 * the ones it replaced (see src/core/knowledge/effective.ts).
 */
export const DatedStatement = z
  .object({
    text: z.string().min(1).max(600),
    from: isoDate.optional(),
    until: isoDate.optional(),
  })
  .strict()
  .refine((s) => s.from !== undefined || s.until !== undefined, { message: '期間つきの文には from（開始日）か until（終了日）を書いてください' })
  .refine((s) => !s.from || !s.until || s.from <= s.until, { message: 'from（開始日）が until（終了日）より後になっています' });
export type DatedStatement = z.infer<typeof DatedStatement>;

export const FacetEntry = z
  .object({
    text: z.string().min(1).max(1200),
    /** Statements with effective dates, told after `text` when in force or coming soon (see DatedStatement). */
    statements: z.array(DatedStatement).max(10).default([]),
    /** ids of `sources` in the same file; at least one. */
    sources: z.array(z.string()).min(1, '出典（sources）が必要です'),
    /** ids of contacts in knowledge/_contacts.yaml rendered as tappable numbers. */
    phones: z.array(z.string()).default([]),
    /** The detail asked for is not confirmed: the bot adds the concierge's contact. */
    unconfirmed: z.boolean().default(false),
  })
  .strict();
export type FacetEntry = z.infer<typeof FacetEntry>;

export const KnowledgeEntry = z
  .object({
    id: IntentId,
    // The title is also a quick-reply label, which LINE cuts at 20 characters.
    title: z.string().min(1).max(20, 'タイトルは20文字以内にしてください（LINEの選択ボタンに表示できる長さ）'),
    summary: z.string().min(1).max(120),
    topic: Topic,
    facets: z
      .object({
        overview: FacetEntry,
        cost: FacetEntry.optional(),
        how: FacetEntry.optional(),
        who: FacetEntry.optional(),
        where: FacetEntry.optional(),
        contact: FacetEntry.optional(),
      })
      .strict(),
    /** Service entries only: who it is for, for the guided consultation and eligibility notes. */
    eligibility: Eligibility.optional(),
    sources: z.array(Source).default([]),
  })
  .strict();
export type KnowledgeEntry = z.infer<typeof KnowledgeEntry>;

export const Contact = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    tel: z.string().regex(PHONE_RE, '電話番号の形が正しくありません（例: 0865-69-2132）'),
    note: z.string().optional(),
    /**
     * When the source gave this number (「2020年時点」「掲載時期不明」), shown beside it on cards: office numbers change.
     * Required for numbers starting with 0 (load.ts); national short numbers (119, #8000, 189) do not need it.
     */
    asOf: z.string().min(1).optional(),
    source: z.url({ protocol: /^https?$/ }),
    checked: isoDate,
    thirdParty: z.boolean().default(false),
  })
  .strict();
export type Contact = z.infer<typeof Contact>;
export const ContactsFile = z.object({ contacts: z.array(Contact).min(1) }).strict();

export const IntentFile = z
  .object({
    id: IntentId,
    /** Fresh, realistic parent messages that belong to this intent (not copied from the eval set). */
    examples: z.array(z.string().min(2).max(200)).min(10, '例文（examples）は10件以上必要です'),
    /** Words and phrases that point strongly at this intent. */
    keywords: z.array(z.string().min(1)).min(1),
  })
  .strict();
export type IntentFile = z.infer<typeof IntentFile>;

/** intents/_lexicon.yaml: variants folded into one canonical term before matching. */
export const LexiconFile = z
  .object({
    synonyms: z.array(z.object({ term: z.string().min(1), variants: z.array(z.string().min(1)).min(1) }).strict()),
  })
  .strict();
export type LexiconFile = z.infer<typeof LexiconFile>;

const regexString = z.string().refine(
  (s) => {
    try {
      new RegExp(s, 'u');
      return true;
    } catch {
      return false;
    }
  },
  { message: '正規表現として読めません' },
);

/** intents/_facets.yaml: cue words deciding which facet of an entry a question asks for. */
export const FacetCuesFile = z
  .object({
    order: z.array(z.string()).min(1),
    facets: z.record(
      z.string(),
      z
        .object({
          facet: Facet.optional(),
          cues: z.array(z.string().min(1)).default([]),
          patterns: z.array(regexString).default([]),
        })
        .strict(),
    ),
  })
  .strict()
  .superRefine((f, ctx) => {
    for (const name of f.order) {
      const group = f.facets[name];
      if (!group) ctx.addIssue({ code: 'custom', path: ['order'], message: `facets に ${name} がありません` });
      else if (!group.facet && !Facet.safeParse(name).success)
        ctx.addIssue({ code: 'custom', path: ['facets', name], message: `${name} は側面名ではないので facet: を書いてください` });
    }
  });
export type FacetCuesFile = z.infer<typeof FacetCuesFile>;

/** intents/_handoff.yaml: how people ask for a human. */
export const HandoffFile = z
  .object({ phrases: z.array(z.string().min(2)).min(1), patterns: z.array(regexString).default([]) })
  .strict();
export type HandoffFile = z.infer<typeof HandoffFile>;

/** intents/_guards.yaml: topics the bot must not answer itself. */
export const GuardsFile = z
  .object({
    judgment: z.array(z.string().min(2)).default([]),
    out_of_scope: z.array(z.string().min(2)).default([]),
    /**
     * Words that show a message is about a child (子ども, 娘, 3歳 …). A story about a child that ends in a question is
     * not other business because the story mentions danger, the news or a joke: the question decides (request.ts).
     */
    about_a_child: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type GuardsFile = z.infer<typeof GuardsFile>;

/** intents/_feelings.yaml: words of a parent at the end of their strength, met with a word before the answer. */
export const FeelingsFile = z.object({ distress: z.array(z.string().min(2)).default([]) }).strict();
export type FeelingsFile = z.infer<typeof FeelingsFile>;

export const EMERGENCY_KINDS = ['medical', 'missing', 'violence', 'harm', 'suicide'] as const;
export const EmergencyKind = z.enum(EMERGENCY_KINDS);
export type EmergencyKind = z.infer<typeof EmergencyKind>;

/**
 * The part of an emergency card for a caller who does not speak Japanese: which lines have interpreters, when, and
 * where a line works only in Japanese or is not confirmed. Every fact here dates quickly, so the part carries its own
 * sources, each with the time it describes (`asOf`: 「令和2年1月1日現在」「2015年度の情報」) and when a person checked it.
 */
export const ForeignCallerPart = z
  .object({
    text: z.string().min(1).max(1200),
    /** ids of knowledge/_contacts.yaml named in the text, shown as tappable numbers. */
    phones: z.array(z.string()).default([]),
    sources: z
      .array(z.object({ title: z.string().min(1), url: z.url({ protocol: /^https?$/ }), asOf: z.string().min(1), checked: isoDate }).strict())
      .min(1, '出典（sources）が必要です'),
  })
  .strict();
export type ForeignCallerPart = z.infer<typeof ForeignCallerPart>;

/** intents/_emergency.yaml: acute danger, checked before anything else. */
export const EmergencyFile = z
  .object({
    rules: z
      .array(
        z
          .object({
            kind: EmergencyKind,
            any: z.array(z.string().min(2)).optional(),
            all: z.array(z.array(z.string().min(1)).min(1)).min(2).optional(),
          })
          .strict()
          .refine((r) => !!r.any !== !!r.all, { message: 'any か all のどちらか一方を書いてください' }),
      )
      .min(1),
    /**
     * Contexts in which a danger word is not danger now (told as past, a question about prevention, news or
     * fiction, a pet, a joke, danger already over): named groups of phrases.
     */
    calm: z.record(z.string(), z.array(z.string().min(1))).default({}),
    /**
     * Whose danger: a clause whose subject is an animal (subjects + が・は・も), naming no person (persons, and the child
     * words of _guards.yaml) and no act of the animal on someone (acts: 噛んで), is about the animal, not a person.
     */
    animals: z
      .object({ subjects: z.array(z.string().min(1)).default([]), persons: z.array(z.string().min(1)).default([]), acts: z.array(z.string().min(1)).default([]) })
      .strict()
      .default({ subjects: [], persons: [], acts: [] }),
    /** Words for the emergency services (救急車, 110番): a message about them that says all is over is acknowledged. */
    services: z.array(z.string().min(2)).default([]),
    guidance: z.record(
      EmergencyKind,
      z
        .object({
          title: z.string().min(1).max(40),
          text: z.string().min(1),
          phones: z.array(z.string()).min(1),
          /** What to do when the caller does not speak Japanese (shown to parents writing in another language). */
          foreign: ForeignCallerPart.optional(),
        })
        .strict(),
    ),
  })
  .strict();
export type EmergencyFile = z.infer<typeof EmergencyFile>;
