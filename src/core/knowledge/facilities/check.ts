import { parseAge } from '../../nlp/ages.js';
import type { FacilitiesFile } from './schema.js';

/** One thing wrong in the facility file, by field (`facilities.3.tel`), in the words staff use. */
export interface FacilityProblem {
  field: string;
  message: string;
}

export interface FacilityCheckContext {
  /** Numbers of knowledge/_contacts.yaml: the only ones the bot may give. */
  knownTels: ReadonlySet<string>;
  /** Catalog ids: what `topics` may name. */
  catalogIds: ReadonlySet<string>;
}

const PHONE_IN_TEXT = /(?<![\d-])(?:0\d{1,4}-\d{1,4}-\d{3,4}|#\d{4})(?![\d-])/g;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/**
 * What the schema cannot see: references inside the file (sources, areas), numbers outside the contacts ledger,
 * topics outside the catalog, ages the age reader cannot read, times in the wrong order, ids or names used twice.
 */
export function facilityProblems(file: FacilitiesFile, ctx: FacilityCheckContext): FacilityProblem[] {
  const out: FacilityProblem[] = [];
  const sourceIds = new Set<string>();
  file.sources.forEach((s, i) => {
    if (sourceIds.has(s.id)) out.push({ field: `sources.${i}.id`, message: `出典の id「${s.id}」が2回使われています` });
    sourceIds.add(s.id);
  });
  const areaNames = new Set<string>();
  file.areas.forEach((a, i) => {
    if (areaNames.has(a.name)) out.push({ field: `areas.${i}.name`, message: `地区「${a.name}」が2回あります` });
    areaNames.add(a.name);
  });
  const ids = new Set<string>();
  const names = new Set<string>();
  file.facilities.forEach((f, i) => {
    const at = (field: string) => `facilities.${i}.${field}`;
    if (ids.has(f.id)) out.push({ field: at('id'), message: `施設の id「${f.id}」が2回使われています` });
    ids.add(f.id);
    if (names.has(f.name)) out.push({ field: at('name'), message: `施設名「${f.name}」が2回あります` });
    names.add(f.name);
    f.sources.forEach((s, k) => {
      if (!sourceIds.has(s)) out.push({ field: at(`sources.${k}`), message: `出典「${s}」がこのファイルの sources にありません` });
    });
    if (f.area !== undefined && !areaNames.has(f.area)) out.push({ field: at('area'), message: `地区「${f.area}」が areas にありません（島は島の名前で、areas に読みと一緒に登録してください）` });
    if (f.tel !== undefined && !ctx.knownTels.has(f.tel))
      out.push({ field: at('tel'), message: `電話番号 ${f.tel} は knowledge/_contacts.yaml にない番号です（出典つきで登録してください）` });
    const texts: [string, string | undefined][] = [['note', f.note], ['addressNote', f.addressNote], ['address', f.address], ...f.offers.map((o, k): [string, string] => [`offers.${k}`, o])];
    for (const [field, text] of texts)
      for (const m of (text ?? '').matchAll(PHONE_IN_TEXT))
        if (!ctx.knownTels.has(m[0])) out.push({ field: at(field), message: `電話番号 ${m[0]} は knowledge/_contacts.yaml にない番号です（出典つきで登録してください）` });
    f.topics.forEach((t, k) => {
      if (ctx.catalogIds.size && !ctx.catalogIds.has(t)) out.push({ field: at(`topics.${k}`), message: `項目「${t}」はカタログにありません` });
    });
    if (f.ages) {
      const from = f.ages.from === undefined ? undefined : parseAge(f.ages.from);
      const to = f.ages.to === undefined ? undefined : parseAge(f.ages.to);
      if (f.ages.from !== undefined && !from) out.push({ field: at('ages.from'), message: `年齢「${f.ages.from}」が読めません（例: 0歳, 1歳, 就学前）` });
      if (f.ages.to !== undefined && !to) out.push({ field: at('ages.to'), message: `年齢「${f.ages.to}」が読めません（例: 5歳, 就学前, 小6）` });
      if (from && to && from.min > to.max) out.push({ field: at('ages'), message: `「${f.ages.from}」から「${f.ages.to}」の順になっていません` });
    }
    if (f.hours?.opens && f.hours.closes && minutes(f.hours.opens) >= minutes(f.hours.closes))
      out.push({ field: at('hours'), message: `開く時刻 ${f.hours.opens} が閉まる時刻 ${f.hours.closes} より後になっています` });
    if (!f.reading.replace(/\s/g, '')) out.push({ field: at('reading'), message: '読みが空です' });
  });
  return out;
}
