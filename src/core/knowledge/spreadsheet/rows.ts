import type { KnowledgeFiles } from '../files.js';
import { FACET_LABELS, TOPIC_LABELS } from '../labels.js';
import type { KnowledgeBase, Problem } from '../load.js';
import { FACETS, VALID_UNTIL_RE, type Facet } from '../schema.js';
import { patchEntryYaml, type EntryPatch, type FacetValue, type SourceValue } from '../editing/yaml-patch.js';
import { isoDate, lines, nonEmptyLines, sourceCountProblem, sourceLineProblems, yesNo } from './cells.js';
import { FACILITIES_FILE } from '../facilities/schema.js';

/**
 * One spreadsheet row per answer (entry × facet). The first four columns are those of the common open FAQ data
 * format (ID, 質問, 回答, カテゴリ); the rest are ours. Source columns hold one line per source, line N of each
 * column describing the Nth id in 出典ID.
 */
export const COLUMNS = ['ID', '質問', '回答', 'カテゴリ', '項目ID', '側面', '出典ID', '出典名', '出典URL', '確認日', '有効期限', '未確認', '電話'] as const;
type Column = (typeof COLUMNS)[number];
/** Shown for reading (and for open-data use); an import does not change anything from them. */
export const READ_ONLY_COLUMNS: readonly Column[] = ['質問', 'カテゴリ'];

export interface RowError {
  /** As the spreadsheet numbers rows: the header is row 1. */
  row: number;
  column: string;
  message: string;
}

const question = (title: string, f: Facet) => (f === 'overview' ? `${title}とは？` : `${title}の${FACET_LABELS[f]}は？`);

export function rowsFromKnowledge(kb: KnowledgeBase): Record<Column, string>[] {
  const order = [...kb.catalog.map((c) => c.id).filter((id) => kb.entries.has(id)), ...[...kb.entries.keys()].filter((id) => !kb.catalog.some((c) => c.id === id))];
  return order.flatMap((id) => {
    const e = kb.entries.get(id)!;
    return FACETS.flatMap((f) => {
      const x = e.facets[f];
      if (!x) return [];
      const src = x.sources.map((s) => e.sources.find((y) => y.id === s));
      return [
        {
          ID: `${id}#${f}`,
          質問: question(e.title, f),
          回答: x.text,
          カテゴリ: TOPIC_LABELS[e.topic] ?? e.topic,
          項目ID: id,
          側面: FACET_LABELS[f],
          出典ID: x.sources.join('\n'),
          出典名: src.map((s) => s?.title ?? '').join('\n'),
          出典URL: src.map((s) => s?.url ?? '').join('\n'),
          確認日: src.map((s) => s?.checked ?? '').join('\n'),
          有効期限: src.map((s) => s?.validUntil ?? '').join('\n'),
          未確認: x.unconfirmed ? 'はい' : '',
          電話: x.phones.join('\n'),
        },
      ];
    });
  });
}

const facetOf = (v: string): Facet | undefined => {
  const t = v.trim();
  return (FACETS as readonly string[]).includes(t) ? (t as Facet) : FACETS.find((f) => FACET_LABELS[f] === t);
};

type SourceField = 'title' | 'url' | 'checked' | 'validUntil';
const SOURCE_COLUMNS: [SourceField, Column][] = [
  ['title', '出典名'],
  ['url', '出典URL'],
  ['checked', '確認日'],
  ['validUntil', '有効期限'],
];

/**
 * Applies spreadsheet rows to the knowledge files: each row's answer text, sources, phones and 未確認; source
 * details shared by several rows change when one row changes them (two rows changing one to different values is an
 * error). Rows not in the sheet leave their answers as they are. With any row error nothing is returned but errors.
 */
export function applyRows(files: KnowledgeFiles, kb: KnowledgeBase, header: readonly string[], rows: readonly Record<string, string>[]): { files?: Record<string, string>; errors: RowError[]; rowOf: Map<string, number> } {
  const errors: RowError[] = [];
  const rowOf = new Map<string, number>();
  const missing = COLUMNS.filter((c) => !READ_ONLY_COLUMNS.includes(c) && c !== 'ID' && !header.includes(c));
  if (missing.length) return { errors: missing.map((c) => ({ row: 1, column: c, message: `見出しに「${c}」の列がありません（書き出したファイルの1行目をそのまま使ってください）` })), rowOf };

  const facetsByEntry = new Map<string, Partial<Record<Facet, FacetValue>>>();
  // entry → source id → field → the distinct values rows give, with the first row giving each.
  const sourceValues = new Map<string, Map<string, Map<SourceField, Map<string, number>>>>();

  rows.forEach((r, i) => {
    const row = i + 2;
    if (COLUMNS.every((c) => !(r[c] ?? '').trim())) return;
    const err = (column: string, message: string) => errors.push({ row, column, message });
    const id = (r['項目ID'] ?? '').trim();
    const facet = facetOf(r['側面'] ?? '');
    if (!id) return err('項目ID', '項目IDが空欄です');
    const entry = kb.entries.get(id);
    if (!entry) return err('項目ID', `項目ID「${id}」は知識ベースにありません（新しい項目はこの表からは追加できません）`);
    if (!facet) return err('側面', `側面「${r['側面']}」が分かりません（${FACETS.map((f) => FACET_LABELS[f]).join('・')} のどれか）`);
    const key = `${id}#${facet}`;
    if ((r.ID ?? '').trim() && r.ID!.trim() !== key) return err('ID', `ID「${r.ID}」が項目ID・側面（${key}）と合いません`);
    if (rowOf.has(key)) return err('ID', `${key} の行が ${rowOf.get(key)}行目 にもあります`);
    rowOf.set(key, row);

    const text = (r['回答'] ?? '').replace(/\r\n?/g, '\n').trim();
    if (!text) err('回答', '回答が空欄です');
    else if (text.length > 1200) err('回答', `回答は1200文字以内にしてください（いま${text.length}文字）`);

    const ids = nonEmptyLines(r['出典ID']);
    if (!ids.length) err('出典ID', '出典IDがありません（回答には出典が1つ以上必要です）');
    const perSource = new Map(SOURCE_COLUMNS.map(([field, col]) => [field, lines(r[col])] as const));
    for (const [field, col] of SOURCE_COLUMNS) {
      // 有効期限 may be left empty as a whole: none of the sources has one.
      const problem = sourceCountProblem(ids.length, col, perSource.get(field)!, field === 'validUntil');
      if (problem) err(col, problem);
    }
    ids.forEach((sid, n) => {
      const known = entry.sources.find((s) => s.id === sid);
      const values = Object.fromEntries(SOURCE_COLUMNS.map(([field]) => [field, perSource.get(field)![n] ?? ''])) as Record<SourceField, string>;
      const line = sourceLineProblems(sid, values);
      const problems: [Column, string][] = line.problems;
      if (line.checked) values.checked = line.checked;
      const vu = values.validUntil.normalize('NFKC').replace(/\//g, '-');
      const vuDate = isoDate(vu);
      values.validUntil = vuDate ?? vu;
      if (values.validUntil && !VALID_UNTIL_RE.test(values.validUntil)) problems.push(['有効期限', `出典「${sid}」の有効期限「${vu}」は「2026年度」か「2027-03-31」のように書いてください`]);
      if (problems.length) return problems.forEach(([c, m]) => err(c, m));
      const bySource = sourceValues.get(id) ?? new Map();
      sourceValues.set(id, bySource);
      const fields = bySource.get(sid) ?? new Map();
      bySource.set(sid, fields);
      for (const [field, col] of SOURCE_COLUMNS) {
        const seen: Map<string, number> = fields.get(field) ?? new Map();
        fields.set(field, seen);
        const v = values[field];
        const current = known ? (known[field] ?? '') : undefined;
        const otherChange = [...seen].find(([value]) => value !== v && value !== current);
        if (v !== current && otherChange) err(col, `出典「${sid}」の${col}が ${otherChange[1]}行目 と違います（同じ出典は同じ値にしてください）`);
        if (!seen.has(v)) seen.set(v, row);
      }
    });

    const unconfirmed = yesNo(r['未確認'] ?? '');
    if (unconfirmed === undefined) err('未確認', '未確認は「はい」か空欄にしてください');
    const phones: string[] = [];
    for (const p of nonEmptyLines(r['電話'])) {
      const byTel = [...kb.contacts.values()].filter((c) => c.tel === p.normalize('NFKC'));
      if (kb.contacts.has(p)) phones.push(p);
      else if (byTel.length === 1) phones.push(byTel[0]!.id);
      else err('電話', `電話「${p}」は連絡先の台帳（knowledge/_contacts.yaml）にありません`);
    }
    const facets = facetsByEntry.get(id) ?? {};
    facets[facet] = { text, sources: ids, phones, unconfirmed: !!unconfirmed };
    facetsByEntry.set(id, facets);
  });
  if (errors.length) return { errors, rowOf };

  const out: Record<string, string> = { ...files };
  for (const [id, facets] of facetsByEntry) {
    const entry = kb.entries.get(id)!;
    const given = sourceValues.get(id) ?? new Map<string, Map<SourceField, Map<string, number>>>();
    // The value a source ends with: a row's change when there is one, else what it was.
    const resolve = (sid: string, field: SourceField, current: string | undefined) => {
      const vals = [...(given.get(sid)?.get(field)?.keys() ?? [])];
      return vals.find((v) => v !== (current ?? '')) ?? current ?? '';
    };
    const sources: SourceValue[] = entry.sources.map((s) => ({
      id: s.id,
      url: resolve(s.id, 'url', s.url),
      title: resolve(s.id, 'title', s.title),
      checked: resolve(s.id, 'checked', s.checked),
      validUntil: resolve(s.id, 'validUntil', s.validUntil) || undefined,
      ...(s.asOf ? { asOf: s.asOf } : {}),
      thirdParty: s.thirdParty,
    }));
    for (const sid of given.keys())
      if (!entry.sources.some((s) => s.id === sid))
        sources.push({ id: sid, url: resolve(sid, 'url', undefined), title: resolve(sid, 'title', undefined), checked: resolve(sid, 'checked', undefined), validUntil: resolve(sid, 'validUntil', undefined) || undefined });
    const patch: EntryPatch = { facets, sources };
    const file = `knowledge/${id}.yaml`;
    out[file] = patchEntryYaml(files[file]!, patch);
  }
  return { files: out, errors, rowOf };
}

/**
 * Publish problems that belong to a row (an answer's text, sources, phones; a facility's field or source) are shown
 * against that row. `rowOf` keys: `<entry id>#<facet>` for the answer sheet, `facilities.<i>` / `sources.<i>` for the
 * facility sheet (facility-rows.ts).
 */
export function problemRows(problems: readonly Problem[], rowOf: ReadonlyMap<string, number>): (Problem & { row?: number })[] {
  return problems.map((p) => {
    const key =
      p.file === FACILITIES_FILE
        ? /^(facilities|sources)\.\d+/.exec(p.field)?.[0]
        : (() => {
            const id = /^knowledge\/([a-z][a-z0-9-]*)\.yaml$/.exec(p.file)?.[1];
            const facet = /^facets\.(\w+)/.exec(p.field)?.[1];
            return id && facet ? `${id}#${facet}` : undefined;
          })();
    const row = key ? rowOf.get(key) : undefined;
    return row ? { ...p, row } : p;
  });
}
