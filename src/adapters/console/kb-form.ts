import { z } from 'zod';
import { patchEntryYaml, patchIntentYaml, type FacetValue, type SourceValue, type StatementValue } from '../../core/knowledge/editing/yaml-patch.js';
import type { KnowledgeFiles } from '../../core/knowledge/files.js';
import { FACETS, type Facet, type IntentFile, type KnowledgeEntry } from '../../core/knowledge/schema.js';

/** What the entry form shows and sends: the editable parts of an entry and its intent file. */
export interface EntryDraft {
  title: string;
  summary: string;
  facets: Partial<Record<Facet, FacetValue>>;
  sources: SourceValue[];
  examples: string[];
  keywords: string[];
}

export interface FormError {
  /** The form control's id, for the error summary's links. */
  field: string;
  message: string;
}

export function draftOf(entry: KnowledgeEntry, intent: IntentFile | undefined): EntryDraft {
  return {
    title: entry.title,
    summary: entry.summary,
    facets: Object.fromEntries(
      FACETS.filter((f) => entry.facets[f]).map((f) => [f, { ...entry.facets[f]!, statements: entry.facets[f]!.statements.map((st) => ({ ...st })) }]),
    ),
    sources: entry.sources.map((s) => ({
      id: s.id,
      url: s.url,
      title: s.title,
      checked: s.checked,
      ...(s.validUntil ? { validUntil: s.validUntil } : {}),
      ...(s.asOf ? { asOf: s.asOf } : {}),
      thirdParty: s.thirdParty,
    })),
    examples: intent?.examples ?? [],
    keywords: intent?.keywords ?? [],
  };
}

// Form bodies come from our own page, but are still requests from outside: shapes and sizes are checked here.
const str = (max: number) => z.string().max(max).optional().default('');
const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
const Body = z.record(z.string(), z.union([z.string().max(20_000), z.array(z.string().max(200)).max(50)]));
const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,60}$/;

/**
 * Examples are one per line in the form; the few real messages that span lines are shown with 「\n」 where the line
 * breaks, and read back the same way.
 */
export const exampleLine = (s: string) => s.replace(/\n/g, '\\n');
const fromExampleLine = (s: string) => s.replace(/\\n/g, '\n');

/** Ticked boxes in the order the entry had them (the card shows them in that order), newly ticked ones after. */
const keepOrder = (ticked: string[], before: readonly string[]) => [...before.filter((x) => ticked.includes(x)), ...ticked.filter((x) => !before.includes(x))];

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const paragraph = (s: string) => s.replace(/\r\n?/g, '\n').trim();
const linesOf = (s: string) =>
  s
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * A facet's statements with effective dates: the rows the entry had (`st.0.` …) and one blank row for a new one.
 * Rows left with no text, or ticked for removal, are dropped; dates are kept as typed for the validation to judge.
 */
function statementsFromForm(get: (k: string, max?: number) => string, b: Record<string, unknown>, prefix: string, existing: number): StatementValue[] {
  const out: StatementValue[] = [];
  for (let i = 0; i <= existing; i++) {
    const p = `${prefix}${i}.`;
    const text = paragraph(get(`${p}text`, 1000));
    const from = oneLine(get(`${p}from`, 20));
    const until = oneLine(get(`${p}until`, 20));
    if (b[`${p}remove`] === 'on' || (!text && !from && !until)) continue;
    out.push({ text, ...(from ? { from } : {}), ...(until ? { until } : {}) });
  }
  return out;
}

/**
 * Reads the entry form. Only facets the entry has are read (an entry's set of facets is fixed by its kind); the
 * knowledge-base validation that follows judges the values.
 */
export function draftFromForm(raw: unknown, entry: KnowledgeEntry): { draft?: EntryDraft; errors: FormError[] } {
  const parsed = Body.safeParse(raw);
  if (!parsed.success) return { errors: [{ field: 'title', message: '送信された内容が大きすぎるか、正しくありません。' }] };
  const b = parsed.data;
  const get = (k: string, max = 5000) =>
    str(max)
      .catch('')
      .parse(typeof b[k] === 'string' ? b[k] : undefined);
  const errors: FormError[] = [];
  const facets: EntryDraft['facets'] = {};
  for (const f of FACETS) {
    if (!entry.facets[f]) continue;
    facets[f] = {
      text: paragraph(get(`f.${f}.text`, 5000)),
      sources: keepOrder(list.parse(b[`f.${f}.sources`]), entry.facets[f].sources),
      phones: keepOrder(list.parse(b[`f.${f}.phones`]), entry.facets[f].phones),
      unconfirmed: b[`f.${f}.unconfirmed`] === 'on',
      statements: statementsFromForm(get, b, `f.${f}.st.`, entry.facets[f].statements.length),
    };
  }
  const sources: SourceValue[] = [];
  for (let i = 0; i <= entry.sources.length; i++) {
    const p = `s.${i}.`;
    const isNew = i === entry.sources.length;
    const id = isNew ? oneLine(get(`${p}id`, 80)) : entry.sources[i]!.id;
    const s: SourceValue = { id, title: oneLine(get(`${p}title`, 300)), url: oneLine(get(`${p}url`, 2000)), checked: oneLine(get(`${p}checked`, 20)) };
    const validUntil = oneLine(get(`${p}validUntil`, 20)).normalize('NFKC');
    const asOf = oneLine(get(`${p}asOf`, 100));
    if (validUntil) s.validUntil = validUntil;
    if (asOf) s.asOf = asOf;
    s.thirdParty = b[`${p}thirdParty`] === 'on';
    if (isNew) {
      if (!id && !s.title && !s.url) continue; // the blank row for a new source, left blank
      if (!SOURCE_ID.test(id)) errors.push({ field: `${p}id`, message: '新しい出典のIDは、英小文字・数字・ハイフンで書いてください（例: city-hoikuen）' });
      else if (entry.sources.some((x) => x.id === id)) errors.push({ field: `${p}id`, message: `出典ID「${id}」はもうあります。別のIDにしてください` });
    }
    if (b[`${p}remove`] === 'on') continue;
    sources.push(s);
  }
  const draft: EntryDraft = {
    title: oneLine(get('title', 200)),
    summary: oneLine(get('summary', 500)),
    facets,
    sources,
    examples: linesOf(get('examples', 20_000)).map(fromExampleLine),
    keywords: linesOf(get('keywords', 5000)),
  };
  return errors.length ? { draft, errors } : { draft, errors };
}

/** The files with the entry's and its intent's YAML edited to match the draft. */
export function applyDraft(files: KnowledgeFiles, id: string, draft: EntryDraft): Record<string, string> {
  const out: Record<string, string> = { ...files };
  const entryFile = `knowledge/${id}.yaml`;
  const intentFile = `intents/${id}.yaml`;
  out[entryFile] = patchEntryYaml(files[entryFile]!, { title: draft.title, summary: draft.summary, facets: draft.facets, sources: draft.sources });
  if (files[intentFile] !== undefined) out[intentFile] = patchIntentYaml(files[intentFile], { examples: draft.examples, keywords: draft.keywords });
  return out;
}
