import { copyLeaves, type JapaneseWords } from './check.js';
import { japaneseAsOf, type LanguagePack, type Languages } from './load.js';
import { isPlainAsOf } from '../dates.js';
import { BASE_LANGUAGE } from './schema.js';

/**
 * How much of the Japanese a language has in its own words, part by part. A report, not a failure: what is not
 * translated is shown in the fallback language (やさしい日本語, then 日本語) and says so. The target is 100 % in every
 * language; the lists name what is missing so that it can be written.
 */
export const COVERAGE_PARTS = ['entries', 'facets', 'contacts', 'facilities', 'areas', 'emergency', 'copy', 'sources'] as const;
export type CoveragePart = (typeof COVERAGE_PARTS)[number];

export const COVERAGE_LABELS: Record<CoveragePart, string> = {
  entries: '項目',
  facets: '側面',
  contacts: '連絡先',
  facilities: '施設',
  areas: '地区',
  emergency: '緊急',
  copy: '定型文',
  sources: '出典の日付',
};

export interface PartCoverage {
  done: number;
  total: number;
  /** What is not (fully) translated: ids, `entry.facet`, `contact(note)`, copy keys. */
  missing: string[];
}

export interface LanguageCoverage {
  code: string;
  nameJa: string;
  parts: Record<CoveragePart, PartCoverage>;
}

function part(items: readonly [string, string[]][]): PartCoverage {
  // items: [name, fields still missing]; an item is done when nothing is missing.
  const missing = items.filter(([, m]) => m.length).map(([name, m]) => (m[0] === '' ? name : `${name}(${m.join(',')})`));
  return { done: items.length - missing.length, total: items.length, missing };
}

/** Fields the Japanese has that the translation lacks; `['']` when the whole thing is missing. */
const lacking = (present: boolean, fields: [string, boolean, boolean][]) => (present ? fields.filter(([, ja, tr]) => ja && !tr).map(([f]) => f) : ['']);

export function languageCoverage(pack: LanguagePack, ja: JapaneseWords): LanguageCoverage {
  const entries = [...ja.entries.values()];
  const facets = entries.flatMap((e) =>
    Object.entries(e.facets)
      .filter(([, f]) => f)
      .map(([name]) => [`${e.id}.${name}`, pack.entries.get(e.id)?.facets[name as keyof typeof e.facets] ? [] : ['']] as [string, string[]]),
  );
  const confirms = entries.filter((e) => e.eligibility?.confirm).map((e) => [`${e.id}.confirm`, pack.entries.get(e.id)?.eligibility?.confirm ? [] : ['']] as [string, string[]]);
  const contacts = [...ja.contacts.values()].map((c) => {
    const t = pack.contacts.get(c.id);
    return [c.id, lacking(!!t, [['note', !!c.note, !!t?.note], ['asOf', !!c.asOf, !!t?.asOf]])] as [string, string[]];
  });
  const facilities = ja.facilities.facilities.map((f) => {
    const t = pack.facilities.get(f.id);
    return [
      f.id,
      lacking(!!t, [
        ['addressNote', !!f.addressNote, !!t?.addressNote],
        ['hours', !!f.hours, !!t?.hours],
        ['ages', !!f.ages, !!t?.ages],
        ['offers', f.offers.length > 0, (t?.offers.length ?? 0) > 0],
        ['note', !!f.note, !!t?.note],
      ]),
    ] as [string, string[]];
  });
  const areas = ja.facilities.areas.map((a) => [a.name, pack.areas[a.name] ? [] : ['']] as [string, string[]]);
  const emergency = Object.entries(ja.emergency.guidance).map(([kind, g]) => {
    const t = pack.emergency[kind as keyof typeof pack.emergency];
    return [kind, lacking(!!t, [['foreign', !!g.foreign, !!t?.foreign]])] as [string, string[]];
  });
  // A source's date note that a card's date words cannot write alone (「平成22年2月9日制定」) needs its translation.
  const notes = [...japaneseAsOf(ja)].filter((n) => !isPlainAsOf(n)).map((n) => [n, pack.asOfNotes.has(n) ? [] : ['']] as [string, string[]]);
  const copy = copyLeaves(ja.copy).map(([key]) => [key, copyLeaves(pack.copy).some(([k]) => k === key) ? [] : ['']] as [string, string[]]);
  return {
    code: pack.meta.code,
    nameJa: pack.meta.nameJa,
    parts: {
      entries: part(entries.map((e) => [e.id, pack.entries.has(e.id) ? [] : ['']])),
      facets: part([...facets, ...confirms]),
      contacts: part(contacts),
      facilities: part(facilities),
      areas: part(areas),
      emergency: part(emergency),
      copy: part(copy),
      sources: part(notes),
    },
  };
}

/** Every language but 日本語 (whose words are the Japanese files), in menu order. */
export function translationCoverage(languages: Languages, ja: JapaneseWords): LanguageCoverage[] {
  return [...languages.values()]
    .filter((p) => p.meta.code !== BASE_LANGUAGE)
    .sort((a, b) => a.meta.order - b.meta.order)
    .map((p) => languageCoverage(p, ja));
}

const percent = (p: PartCoverage) => (p.total ? `${Math.floor((p.done / p.total) * 100)}%` : '—');

/** Columns line up in a terminal: CJK characters take two cells. */
const width = (s: string) => [...s].reduce((n, c) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1), 0);
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(1, w - width(s)));

/** The coverage as `kb:check` prints it: one line per language, then what is missing, a few names per part. */
export function formatCoverage(rows: LanguageCoverage[], shown = 6): string {
  const first = Math.max(...rows.map((r) => width(`${r.code} ${r.nameJa}`)), 4) + 2;
  const lines = [`  ${pad('言語', first)}${COVERAGE_PARTS.map((k) => pad(COVERAGE_LABELS[k], 15)).join('')}`.trimEnd()];
  for (const r of rows)
    lines.push(`  ${pad(`${r.code} ${r.nameJa}`, first)}${COVERAGE_PARTS.map((k) => pad(`${r.parts[k].done}/${r.parts[k].total} ${percent(r.parts[k])}`, 15)).join('')}`.trimEnd());
  for (const r of rows) {
    const missingEntries = new Set(r.parts.entries.missing);
    const gaps = COVERAGE_PARTS.filter((k) => r.parts[k].missing.length).flatMap((k) => {
      const p = r.parts[k];
      if (!p.done) return [`${COVERAGE_LABELS[k]} すべて`];
      // A facet of an entry not translated at all is already said by the entry.
      const m = k === 'facets' ? p.missing.filter((f) => !missingEntries.has(f.split('.')[0]!)) : p.missing;
      if (!m.length) return [];
      return [`${COVERAGE_LABELS[k]} ${m.slice(0, shown).join(' ')}${m.length > shown ? ` ほか${m.length - shown}件` : ''}`];
    });
    if (gaps.length) lines.push(`  ${r.code} の未訳: ${gaps.join('／')}`);
  }
  return lines.join('\n');
}
