import YAML from 'yaml';
import { patchFacilityYaml, type FacilityValue } from '../editing/facility-patch.js';
import type { SourceValue } from '../editing/yaml-patch.js';
import { FACILITIES_FILE, FACILITY_KINDS, FACILITY_KIND_LABELS, type FacilityKind } from '../facilities/schema.js';
import type { KnowledgeFiles } from '../files.js';
import type { KnowledgeBase } from '../load.js';
import type { Source } from '../schema.js';
import { hhmm, lines, nonEmptyLines, sourceCountProblem, sourceLineProblems, yesNo } from './cells.js';
import type { RowError } from './rows.js';

/**
 * The facility directory as a spreadsheet: one row per facility, the same fields as the console's facility form.
 * Lists (別名, 内容, 関係する項目) hold one item per line; the source columns one line per source, line N of each
 * describing the Nth id in 出典ID, as in the answer sheet. A source shared by several facilities changes when one row
 * changes it. A row whose 施設ID is new adds a facility; facilities left out stay as they are.
 */
export const FACILITY_COLUMNS = [
  '施設ID',
  '名前',
  '読み',
  '別名',
  '種類',
  '公立・私立',
  '地区',
  '住所',
  '住所の補足',
  '電話',
  '時間',
  '開く時刻',
  '閉まる時刻',
  '対象年齢',
  '何歳から',
  '何歳まで',
  '内容',
  '注意書き',
  '関係する項目',
  '出典ID',
  '出典名',
  '出典URL',
  '確認日',
  '情報の時点',
  '市以外',
] as const;
type Column = (typeof FACILITY_COLUMNS)[number];

/** The facility sheet is told from the answer sheet by its first column. */
export const isFacilitySheet = (header: readonly string[]): boolean => header.includes('施設ID');

const FACILITY_ID = /^[a-z][a-z0-9-]{0,60}$/;
const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,60}$/;
const PUBLIC_LABELS = { true: '公立', false: '私立' } as const;

/** Every line empty: the column is left empty as a whole (none of the sources has it). */
const column = (values: string[]) => (values.every((v) => !v) ? '' : values.join('\n'));

export function rowsFromFacilities(kb: KnowledgeBase): Record<Column, string>[] {
  const file = kb.facilities;
  return file.facilities.map((f) => {
    const src = f.sources.map((id) => file.sources.find((s) => s.id === id));
    return {
      施設ID: f.id,
      名前: f.name,
      読み: f.reading,
      別名: f.aliases.join('\n'),
      種類: FACILITY_KIND_LABELS[f.kind],
      '公立・私立': f.public === undefined ? '' : PUBLIC_LABELS[`${f.public}`],
      地区: f.area ?? '',
      住所: f.address ?? '',
      住所の補足: f.addressNote ?? '',
      電話: f.tel ?? '',
      時間: f.hours?.text ?? '',
      開く時刻: f.hours?.opens ?? '',
      閉まる時刻: f.hours?.closes ?? '',
      対象年齢: f.ages?.text ?? '',
      何歳から: f.ages?.from ?? '',
      何歳まで: f.ages?.to ?? '',
      内容: f.offers.join('\n'),
      注意書き: f.note ?? '',
      関係する項目: f.topics.join('\n'),
      出典ID: f.sources.join('\n'),
      出典名: src.map((s) => s?.title ?? '').join('\n'),
      出典URL: src.map((s) => s?.url ?? '').join('\n'),
      確認日: src.map((s) => s?.checked ?? '').join('\n'),
      情報の時点: column(src.map((s) => s?.asOf ?? '')),
      市以外: column(src.map((s) => (s?.thirdParty ? 'はい' : ''))),
    };
  });
}

const kindOf = (v: string): FacilityKind | undefined => {
  const t = v.normalize('NFKC').trim();
  return (FACILITY_KINDS as readonly string[]).includes(t) ? (t as FacilityKind) : FACILITY_KINDS.find((k) => FACILITY_KIND_LABELS[k] === t);
};

type SourceField = 'title' | 'url' | 'checked' | 'asOf' | 'thirdParty';
/** Columns every source must have a line in, and those that may be left empty as a whole. */
const SOURCE_COLUMNS: [SourceField, Column, 'each' | 'optional'][] = [
  ['title', '出典名', 'each'],
  ['url', '出典URL', 'each'],
  ['checked', '確認日', 'each'],
  ['asOf', '情報の時点', 'optional'],
  ['thirdParty', '市以外', 'optional'],
];

const sourceValue = (s: Source): Record<SourceField, string> => ({
  title: s.title,
  url: s.url,
  checked: s.checked,
  asOf: s.asOf ?? '',
  thirdParty: s.thirdParty ? 'はい' : '',
});

export interface FacilitySheetResult {
  files?: Record<string, string>;
  errors: RowError[];
  /**
   * Where publish problems point: `facilities.<index in the new file>` and `sources.<index>` → the row that gave it,
   * so the refusal can be shown against the spreadsheet's rows (problemRows in rows.ts).
   */
  rowOf: Map<string, number>;
}

/**
 * Applies facility rows to knowledge/_facilities.yaml. Cells are read as Excel leaves them (dates with slashes, 7:30);
 * what only the knowledge-base validation can judge (an area not in the list, a phone not in the ledger, a reading in
 * kanji) is left to it, and its problems come back against the rows. Any row error: nothing but errors.
 */
export function applyFacilityRows(files: KnowledgeFiles, kb: KnowledgeBase, header: readonly string[], rows: readonly Record<string, string>[]): FacilitySheetResult {
  const errors: RowError[] = [];
  const missing = FACILITY_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length)
    return { errors: missing.map((c) => ({ row: 1, column: c, message: `見出しに「${c}」の列がありません（書き出したファイルの1行目をそのまま使ってください）` })), rowOf: new Map() };

  const byId = new Map<string, number>();
  const values: { row: number; value: FacilityValue }[] = [];
  // source id → field → the distinct values rows give, with the first row giving each.
  const given = new Map<string, Map<SourceField, Map<string, number>>>();
  const current = new Map(kb.facilities.sources.map((s) => [s.id, sourceValue(s)]));

  rows.forEach((r, i) => {
    const row = i + 2;
    if (FACILITY_COLUMNS.every((c) => !(r[c] ?? '').trim())) return;
    const err = (column: string, message: string) => errors.push({ row, column, message });
    const cell = (c: Column) => (r[c] ?? '').replace(/\s+/g, ' ').trim();
    const id = cell('施設ID');
    if (!FACILITY_ID.test(id)) return err('施設ID', `施設ID「${id}」は英小文字で始まる英小文字・数字・ハイフンにしてください`);
    if (byId.has(id)) return err('施設ID', `施設ID「${id}」の行が ${byId.get(id)}行目 にもあります`);
    byId.set(id, row);
    const kind = kindOf(cell('種類'));
    if (!kind) err('種類', `種類「${cell('種類')}」が分かりません（${FACILITY_KINDS.map((k) => FACILITY_KIND_LABELS[k]).join('・')} のどれか）`);
    const pub = cell('公立・私立');
    const isPublic = pub === '' ? undefined : pub === PUBLIC_LABELS.true ? true : pub === PUBLIC_LABELS.false ? false : yesNo(pub) === undefined ? null : undefined;
    if (isPublic === null) err('公立・私立', '公立・私立は「公立」「私立」か空欄（出典に書いていない）にしてください');
    const hoursText = cell('時間');
    const agesText = cell('対象年齢');
    const optional = (c: Column, v = cell(c)) => (v ? v : undefined);
    const value: FacilityValue = {
      id,
      name: cell('名前'),
      reading: cell('読み'),
      aliases: nonEmptyLines(r['別名']),
      kind: kind ?? cell('種類'),
      ...(typeof isPublic === 'boolean' ? { public: isPublic } : {}),
      ...(optional('地区') ? { area: cell('地区') } : {}),
      ...(optional('住所') ? { address: cell('住所') } : {}),
      ...(optional('住所の補足') ? { addressNote: cell('住所の補足') } : {}),
      ...(optional('電話') ? { tel: cell('電話').normalize('NFKC') } : {}),
      ...(hoursText
        ? { hours: { text: hoursText, ...(cell('開く時刻') ? { opens: hhmm(cell('開く時刻')) } : {}), ...(cell('閉まる時刻') ? { closes: hhmm(cell('閉まる時刻')) } : {}) } }
        : {}),
      ...(agesText ? { ages: { text: agesText, ...(cell('何歳から') ? { from: cell('何歳から') } : {}), ...(cell('何歳まで') ? { to: cell('何歳まで') } : {}) } } : {}),
      offers: nonEmptyLines(r['内容']),
      ...(optional('注意書き') ? { note: cell('注意書き') } : {}),
      topics: nonEmptyLines(r['関係する項目']).flatMap((t) => t.split(/[\s,、]+/).filter(Boolean)),
      sources: nonEmptyLines(r['出典ID']),
    };
    if (!hoursText && (cell('開く時刻') || cell('閉まる時刻'))) err('時間', '開く・閉まる時刻を書くときは、カードに出る「時間」の文も書いてください');
    if (!agesText && (cell('何歳から') || cell('何歳まで'))) err('対象年齢', '何歳から・何歳までを書くときは、カードに出る「対象年齢」の文も書いてください');

    const ids = value.sources;
    if (!ids.length) err('出典ID', '出典IDがありません（施設には出典が1つ以上必要です）');
    const perSource = new Map(SOURCE_COLUMNS.map(([field, col]) => [field, lines(r[col])] as const));
    for (const [field, col, need] of SOURCE_COLUMNS) {
      const problem = sourceCountProblem(ids.length, col, perSource.get(field)!, need === 'optional');
      if (problem) err(col, problem);
    }
    ids.forEach((sid, n) => {
      if (!SOURCE_ID.test(sid)) return err('出典ID', `出典ID「${sid}」は英小文字・数字・ハイフンで書いてください`);
      const v = Object.fromEntries(SOURCE_COLUMNS.map(([field]) => [field, perSource.get(field)![n] ?? ''])) as Record<SourceField, string>;
      const line = sourceLineProblems(sid, v);
      const problems: [Column, string][] = line.problems;
      if (line.checked) v.checked = line.checked;
      const third = yesNo(v.thirdParty);
      if (third === undefined) problems.push(['市以外', `出典「${sid}」の市以外は「はい」か空欄にしてください`]);
      else v.thirdParty = third ? 'はい' : '';
      if (problems.length) return problems.forEach(([c, m]) => err(c, m));
      const fields = given.get(sid) ?? new Map<SourceField, Map<string, number>>();
      given.set(sid, fields);
      for (const [field, col] of SOURCE_COLUMNS) {
        const seen = fields.get(field) ?? new Map<string, number>();
        fields.set(field, seen);
        const was = current.get(sid)?.[field];
        const other = [...seen].find(([x]) => x !== v[field] && x !== was);
        if (v[field] !== was && other) err(col, `出典「${sid}」の${col}が ${other[1]}行目 と違います（同じ出典は同じ値にしてください）`);
        if (!seen.has(v[field])) seen.set(v[field], row);
      }
    });
    values.push({ row, value });
  });
  if (errors.length) return { errors, rowOf: new Map() };

  // The value a source ends with: a row's change when there is one, else what it was.
  const resolved = new Map<string, SourceValue>();
  for (const [sid, fields] of given) {
    const was = current.get(sid);
    const pick = (field: SourceField) => {
      const vals = [...(fields.get(field)?.keys() ?? [])];
      return vals.find((x) => x !== (was?.[field] ?? '')) ?? was?.[field] ?? '';
    };
    resolved.set(sid, { id: sid, title: pick('title'), url: pick('url'), checked: pick('checked'), ...(pick('asOf') ? { asOf: pick('asOf') } : {}), thirdParty: pick('thirdParty') === 'はい' });
  }
  let text = files[FACILITIES_FILE] ?? 'facilities: []\nareas: []\nsources: []\n';
  for (const { value } of values)
    text = patchFacilityYaml(
      text,
      value.id,
      value,
      value.sources.flatMap((sid) => resolved.get(sid) ?? []),
    );

  const rowOf = new Map<string, number>();
  const after = (YAML.parse(text) ?? {}) as { facilities?: { id?: string }[]; sources?: { id?: string }[] };
  (after.facilities ?? []).forEach((f, i) => f.id && byId.has(f.id) && rowOf.set(`facilities.${i}`, byId.get(f.id)!));
  (after.sources ?? []).forEach((s, i) => {
    const first = s.id ? Math.min(...[...(given.get(s.id)?.values() ?? [])].flatMap((m) => [...m.values()])) : Infinity;
    if (Number.isFinite(first)) rowOf.set(`sources.${i}`, first);
  });
  return { files: { ...files, [FACILITIES_FILE]: text }, errors, rowOf };
}
