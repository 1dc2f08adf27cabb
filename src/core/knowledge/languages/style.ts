import { z } from 'zod';
import { escapeRegExp } from '../../nlp/phrases.js';

/**
 * A language's writing rules, as data staff can edit: `languages/<code>/_style.yaml`. やさしい日本語 has one, made
 * from what the 出入国在留管理庁・文化庁「在留支援のためのやさしい日本語ガイドライン」 asks that a program can see
 * (short sentences with one thing each, です・ます, everyday words, no double negatives, Western years, times
 * written with 午前・午後 and 「から」「まで」); see docs/languages.md for why each limit is what it is. What a program
 * cannot see (is the important thing first? is the word really everyday?) stays the writer's and the reviewer's job.
 */
export const StyleFile = z
  .object({
    /** Characters in one sentence, not counting spaces, URLs and `{placeholder}`s. */
    maxSentenceLength: z.number().int().min(10).optional(),
    /** 読点 「、」 in one sentence: more is a sign of several things in one sentence. */
    maxCommasPerSentence: z.number().int().min(0).optional(),
    /** Characters without a space (分かち書き: a space between phrases), not counting numbers, URLs and 「names」. */
    maxUnspacedRun: z.number().int().min(4).optional(),
    /** A sentence that ends with 「。」 ends with です・ます (ください, ましょう, でした …). */
    politeEndings: z.boolean().default(false),
    /** Set phrases that are whole sentences without です・ます: 「こんにちは。」「どういたしまして。」. */
    setPhrases: z.array(z.string().min(1)).default([]),
    /** Years in the Western calendar: no 令和・平成・昭和. */
    westernYears: z.boolean().default(false),
    /** Times and dates written out: 午前・午後 (no 18時), 8時30分 (no 8:30), から・まで (no 〜), 年・月・日 (no 2026/4/1). */
    plainTimes: z.boolean().default(false),
    /** Hard words and their everyday replacements. A word is allowed inside `allowedIn` (official names) or right before an explanation in brackets: 「申請（もうしこみ）」. */
    avoid: z
      .array(z.object({ word: z.string().min(1), easy: z.string().min(1), allowedIn: z.array(z.string().min(1)).default([]) }).strict())
      .default([]),
    /** Double negatives to write as a plain statement: 「ないわけではありません」 → 「〜です」. */
    doubleNegatives: z.array(z.string().min(2)).default([]),
  })
  .strict();
export type StyleFile = z.infer<typeof StyleFile>;

export const STYLE_FILE = '_style.yaml';

export interface StyleProblem {
  message: string;
}

/** What a field holds: sentences, or a short label (a title, a list item) that is not a sentence. */
export type TextRole = 'sentences' | 'label';

const URL_RE = /https?:\/\/[^\s\u3000、。「」（）()]+/g;
const PLACEHOLDER_RE = /\{[A-Za-z_][A-Za-z0-9_]*\}/g;
const PHONE_RE = /(?:0\d{1,4}-\d{1,4}-\d{3,4}|#\d{3,4})/g;
const ERA_RE = /(令和|平成|昭和|大正)\s*(元|[0-9０-９]{1,2})/g;
const ERA_BASE: Record<string, number> = { 令和: 2018, 平成: 1988, 昭和: 1925, 大正: 1911 };
const POLITE_END = /(です|ます|ません|でした|ました|ましょう|ください|でしょう|ませんか|ですか|ますか)[かねよ]?$/;
const OPEN = '「『（(';
const CLOSE = '」』）)';

/**
 * Sentences of a text: split at 。！？ and at line ends, but not inside brackets or quotes (「〜です。」と伝えて).
 * Each keeps its end mark, so that a fragment without 。 (a list item, a heading) can be told from a sentence.
 */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '\n') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
      depth = 0;
      continue;
    }
    cur += ch;
    if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && '。！？!?'.includes(ch)) {
      out.push(cur.trim());
      cur = '';
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** What the guideline counts as the sentence's length: no spaces, URLs or placeholders. */
export const sentenceLength = (s: string) => [...s.replace(URL_RE, '').replace(PLACEHOLDER_RE, '').replace(/\s/g, '')].length;

const quoted = (s: string, max = 60) => `「${[...s].length > max ? `${[...s].slice(0, max).join('')}…` : s}」`;

/** Drops 「…」 quotes (names, what to say) so that their words are not judged; keeps positions. */
const withoutQuotes = (s: string) => s.replace(/「[^「」]*」|『[^『』]*』/g, (m) => ' '.repeat(m.length));

const mostlyLatin = (s: string) => (s.match(/[A-Za-z]/g) ?? []).length > (s.match(/[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/gu) ?? []).length;

/** The problems of one text under `style`, each naming the sentence. */
export function styleProblems(text: string, style: StyleFile, role: TextRole = 'sentences'): StyleProblem[] {
  const out: StyleProblem[] = [];
  const clean = text.replace(URL_RE, (m) => ' '.repeat(m.length));
  for (const s of sentences(clean)) {
    // A line written in English on purpose (how to switch language, the emergency numbers for someone who cannot read
    // Japanese) is not やさしい日本語, and its rules do not apply to it.
    if (mostlyLatin(s)) continue;
    const say = (message: string) => out.push({ message: `${message}: ${quoted(s.trim())}` });
    if (role === 'sentences') {
      const len = sentenceLength(s);
      if (style.maxSentenceLength !== undefined && len > style.maxSentenceLength)
        say(`一文が${len}文字です（${style.maxSentenceLength}文字まで）。短い文に分けてください`);
      const commas = [...s].filter((c) => c === '、').length;
      if (style.maxCommasPerSentence !== undefined && commas > style.maxCommasPerSentence)
        say(`一文に「、」が${commas}つあります（${style.maxCommasPerSentence}つまで）。一つの文には一つのことを書いてください`);
      if (style.politeEndings && /[。！？!?]$/.test(s) && !style.setPhrases.includes(s.slice(0, -1).trim())) {
        // A closing remark in brackets after the predicate (…あります（2021年の じょうほう）。) is not the ending.
        let body = s.slice(0, -1).trim();
        while (/[）)」』]$/.test(body) && !POLITE_END.test(body.replace(/[」』]+$/, ''))) {
          const stripped = body.replace(/[（(][^（()）]*[）)]$/, '').trim();
          if (stripped === body) break;
          body = stripped;
        }
        if (!POLITE_END.test(body.replace(/[」』）)]+$/, ''))) say('文の終わりは「です」「ます」にしてください');
      }
    }
    if (style.maxUnspacedRun !== undefined) {
      const masked = withoutQuotes(s).replace(PHONE_RE, ' ').replace(/[0-9０-９][0-9０-９,.:]*/g, ' ').replace(PLACEHOLDER_RE, ' ');
      const longest = masked.split(/[\s、。！？!?・／/（）()]+/).reduce((a, b) => ([...b].length > [...a].length ? b : a), '');
      if ([...longest].length > style.maxUnspacedRun) say(`「${longest}」が${[...longest].length}文字つづいています（${style.maxUnspacedRun}文字まで）。言葉と言葉の間に空白を入れてください`);
    }
    // Words are looked for without the spaces between phrases: 「しなければ なりません」 is 「しなければなりません」.
    const plain = withoutQuotes(s).replace(/\s/g, '');
    const inside = (at: number, len: number, spans: [number, number][]) => spans.some(([n, l]) => n <= at && at + len <= n + l && l > len);
    const hits = style.avoid.flatMap((a) =>
      occurrences(plain, a.word)
        .filter((at) => !/^[（(]/.test(plain.slice(at + a.word.length)))
        .filter((at) => !inside(at, a.word.length, a.allowedIn.flatMap((name) => occurrences(plain, name).map((n) => [n, name.length] as [number, number]))))
        .map((at) => ({ a, at })),
    );
    // One word once per sentence, and not again inside a longer hard word found there (乳幼児, not also 幼児).
    const spans = hits.map((h) => [h.at, h.a.word.length] as [number, number]);
    const said = new Set<string>();
    for (const { a, at } of hits) {
      if (said.has(a.word) || inside(at, a.word.length, spans)) continue;
      said.add(a.word);
      say(`「${a.word}」はむずかしい言葉です。「${a.easy}」と書くか、「${a.word}（${a.easy}）」のように説明を付けてください`);
    }
    for (const d of style.doubleNegatives)
      if (plain.includes(d)) say(`二重否定（「${d}」）は使わないでください。「〜です」「〜してください」と言い切ってください`);
    if (style.westernYears)
      for (const m of s.matchAll(ERA_RE)) {
        const year = ERA_BASE[m[1]!]! + (m[2] === '元' ? 1 : Number(m[2]!.normalize('NFKC')));
        say(`元号ではなく西暦で書いてください（${m[0]}年 → ${year}年）`);
      }
    if (style.plainTimes) {
      if (/[〜～~]/.test(s)) say('「〜」ではなく「から」「まで」で書いてください（10時〜12時 → 10時から 12時まで）');
      for (const m of s.matchAll(/(?<![0-9０-９午後前])(1[3-9]|2[0-4])\s*時(?!間)/g))
        say(`時刻は午前・午後で書いてください（${m[1]}時 → 午後${Number(m[1]) - 12}時）`);
      if (/(?<![0-9])\d{1,2}:\d{2}(?![0-9])/.test(s)) say('時刻は「8時30分」のように書いてください（8:30 → 午前8時30分）');
      if (/(?<![0-9])\d{1,4}\/\d{1,2}(?:\/\d{1,4})?(?![0-9])/.test(s)) say('日付は「2026年4月1日」のように、年・月・日で書いてください');
    }
  }
  return out;
}

const occurrences = (s: string, w: string) => [...s.matchAll(new RegExp(escapeRegExp(w), 'g'))].map((m) => m.index!);
