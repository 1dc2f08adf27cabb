import { z } from 'zod';
import { PHONE_RE, Source } from '../schema.js';

/**
 * The facility directory's data (knowledge/_facilities.yaml): every facility the facts sheet names, as a record
 * parents can be answered from by kind, area, hours, age or name. Kept apart from the entry schema so that changes to
 * entries (effective dates, card dates) and to facilities do not touch the same lines.
 */

/** What a facility is. A closed list: the bot's words for each (「こども園」「公園」) are in the directory. */
export const FACILITY_KINDS = ['office', 'kodomoen', 'nursery', 'kindergarten', 'sick_child', 'midwife', 'hospital', 'development', 'consultation', 'support', 'park'] as const;
export const FacilityKind = z.enum(FACILITY_KINDS);
export type FacilityKind = z.infer<typeof FacilityKind>;

export const FACILITY_KIND_LABELS: Record<FacilityKind, string> = {
  office: '市の窓口',
  kodomoen: '認定こども園',
  nursery: '保育の場',
  kindergarten: '幼稚園',
  sick_child: '病児保育',
  midwife: '助産院',
  hospital: '病院・診療所',
  development: '発達の支援',
  consultation: '相談機関',
  /** Help with raising a child that is neither care nor a counselling office: ファミサポ, 地域子育て支援センター. */
  support: '子育て支援',
  park: '公園・遊び場',
};

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '時刻は「07:30」のように HH:MM で書いてください');

export const FacilityHours = z
  .object({
    /** As the source says it, shown on the card: 「月〜金 8:30〜17:15（祝日・年末年始は休み）」. */
    text: z.string().min(1).max(120),
    /** For 「19時まで開いている」: only when the source gives the times. */
    opens: hhmm.optional(),
    closes: hhmm.optional(),
  })
  .strict();

export const FacilityAges = z
  .object({
    text: z.string().min(1).max(80),
    /** Written as staff write ages elsewhere (「0歳」「1歳」「就学前」「小6」); either end may be unknown. */
    from: z.string().min(1).optional(),
    to: z.string().min(1).optional(),
  })
  .strict();

export const Facility = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'id は英小文字・数字・ハイフンのみ'),
    // Shown as the card's title and as a quick-reply label (cut at 20 there).
    name: z.string().min(1).max(40),
    /** Hiragana, so that 「しんかわこどもえん」 finds 新川こども園. Spaces allowed between words. */
    reading: z.string().regex(/^[\p{Script=Hiragana}ー\s]+$/u, '読みはひらがなで書いてください'),
    /** Other names parents use: 通称 (タコ公園), former names (旧城見保育所). */
    aliases: z.array(z.string().min(2).max(40)).default([]),
    kind: FacilityKind,
    /** 公立 (true) or 私立 (false), when the source says. */
    public: z.boolean().optional(),
    /** A district or island from `areas` in the same file. */
    area: z.string().min(1).optional(),
    address: z.string().min(1).max(80).optional(),
    addressNote: z.string().min(1).max(120).optional(),
    /** Must be a number of knowledge/_contacts.yaml (which records its source). */
    tel: z.string().regex(PHONE_RE, '電話番号の形が正しくありません（例: 0865-69-2132）').optional(),
    hours: FacilityHours.optional(),
    ages: FacilityAges.optional(),
    offers: z.array(z.string().min(1).max(120)).max(6, '内容（offers）は6件までにしてください').default([]),
    /** What a parent should know before relying on the record (old source, to be confirmed). */
    note: z.string().min(1).max(200).optional(),
    /** Catalog ids this facility relates to: the card's 「関連の案内」 and the decision's topic. */
    topics: z.array(z.string()).min(1, '関連する項目（topics）を1つ以上書いてください'),
    /** ids of `sources` in the same file; at least one. */
    sources: z.array(z.string()).min(1, '出典（sources）が必要です'),
  })
  .strict();
export type Facility = z.infer<typeof Facility>;

export const FacilityArea = z
  .object({
    name: z.string().min(1).max(20),
    reading: z.string().regex(/^[\p{Script=Hiragana}ー]+$/u, '読みはひらがなで書いてください'),
    island: z.boolean().default(false),
    /** Outside Kasaoka (a neighbouring city's facility the sheet names for reference). */
    outside: z.boolean().default(false),
  })
  .strict();
export type FacilityArea = z.infer<typeof FacilityArea>;

export const FacilitiesFile = z
  .object({
    facilities: z.array(Facility),
    areas: z.array(FacilityArea).default([]),
    sources: z.array(Source).default([]),
  })
  .strict();
export type FacilitiesFile = z.infer<typeof FacilitiesFile>;

export const FACILITIES_FILE = 'knowledge/_facilities.yaml';
