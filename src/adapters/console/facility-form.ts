import { z } from 'zod';
import { patchFacilityYaml, type FacilityValue } from '../../core/knowledge/editing/facility-patch.js';
import type { SourceValue } from '../../core/knowledge/editing/yaml-patch.js';
import type { KnowledgeFiles } from '../../core/knowledge/files.js';
import { FACILITIES_FILE, type FacilitiesFile, type Facility } from '../../core/knowledge/facilities/schema.js';
import type { FormError } from './kb-form.js';
import { nextId } from './new-ids.js';

/** What the facility form shows and sends: the facility, and the fields of the sources it cites. */
export interface FacilityDraft {
  facility: FacilityValue;
  /** The cited sources as they will be saved (editing one changes it for every facility citing it). */
  sources: SourceValue[];
}

export function facilityDraftOf(f: Facility, file: FacilitiesFile): FacilityDraft {
  const { hours, ages, ...rest } = f;
  return {
    facility: { ...rest, ...(hours ? { hours: { ...hours } } : {}), ...(ages ? { ages: { ...ages } } : {}) },
    sources: file.sources
      .filter((s) => f.sources.includes(s.id))
      .map((s) => ({ id: s.id, url: s.url, title: s.title, checked: s.checked, ...(s.asOf ? { asOf: s.asOf } : {}), thirdParty: s.thirdParty })),
  };
}

export const emptyFacilityDraft = (): FacilityDraft => ({
  facility: { id: '', name: '', reading: '', aliases: [], kind: 'park', offers: [], topics: [], sources: [] },
  sources: [],
});

// Form bodies come from our own page, but are still requests from outside: shapes and sizes are checked here.
const Body = z.record(z.string(), z.union([z.string().max(5000), z.array(z.string().max(200)).max(50)]));
const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,60}$/;
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const linesOf = (s: string) =>
  s
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const idsOf = (s: string) => [
  ...new Set(
    s
      .split(/[\s,、]+/)
      .map((x) => x.trim())
      .filter(Boolean),
  ),
];
const optional = (s: string) => (s ? s : undefined);
/** Ticked boxes come in page order: what was already chosen keeps its order (a form sent back unchanged changes nothing). */
const keepOrder = (ticked: string[], before: readonly string[]) => {
  const set = new Set(ticked);
  return [...before.filter((id) => set.has(id)), ...[...set].filter((id) => !before.includes(id))];
};

/**
 * Reads the facility form. Values are taken as written (trimmed); the knowledge-base validation that follows judges
 * them (kind, area, phone in the ledger, sources) and names the field, so the form checks only what it adds itself:
 * a new source's id.
 */
export function facilityDraftFromForm(
  raw: unknown,
  original: FacilityDraft,
  /** Every source id of the facility file: a new source is numbered after them. */
  takenSourceIds: Iterable<string> = [],
): { draft?: FacilityDraft; errors: FormError[] } {
  const parsed = Body.safeParse(raw);
  if (!parsed.success) return { errors: [{ field: 'name', message: '送信された内容が大きすぎるか、正しくありません。' }] };
  const b = parsed.data;
  const get = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  // Checkboxes (topics, sources) send one value per ticked box: none, one (a string) or several (an array).
  const all = (k: string) => (Array.isArray(b[k]) ? (b[k] as string[]) : typeof b[k] === 'string' ? [b[k] as string] : []).flatMap(idsOf);
  const errors: FormError[] = [];
  const hoursText = oneLine(get('hours.text'));
  const agesText = oneLine(get('ages.text'));
  const pub = get('public');
  const facility: FacilityValue = {
    id: original.facility.id || oneLine(get('id')),
    name: oneLine(get('name')),
    reading: oneLine(get('reading')),
    aliases: linesOf(get('aliases')),
    kind: get('kind'),
    ...(pub === 'true' ? { public: true } : pub === 'false' ? { public: false } : {}),
    ...(optional(oneLine(get('area'))) ? { area: oneLine(get('area')) } : {}),
    ...(optional(oneLine(get('address'))) ? { address: oneLine(get('address')) } : {}),
    ...(optional(oneLine(get('addressNote'))) ? { addressNote: oneLine(get('addressNote')) } : {}),
    ...(optional(oneLine(get('tel')).normalize('NFKC')) ? { tel: oneLine(get('tel')).normalize('NFKC') } : {}),
    ...(hoursText
      ? {
          hours: {
            text: hoursText,
            ...(get('hours.opens') ? { opens: get('hours.opens') } : {}),
            ...(get('hours.closes') ? { closes: get('hours.closes') } : {}),
          },
        }
      : {}),
    ...(agesText
      ? {
          ages: {
            text: agesText,
            ...(oneLine(get('ages.from')) ? { from: oneLine(get('ages.from')) } : {}),
            ...(oneLine(get('ages.to')) ? { to: oneLine(get('ages.to')) } : {}),
          },
        }
      : {}),
    offers: linesOf(get('offers')),
    ...(optional(oneLine(get('note'))) ? { note: oneLine(get('note')) } : {}),
    topics: keepOrder(all('topics'), original.facility.topics),
    sources: keepOrder(all('sources'), original.facility.sources),
  };
  if (!original.facility.id && facility.id && !/^[a-z][a-z0-9-]{0,60}$/.test(facility.id))
    errors.push({ field: 'id', message: '施設の記号は、英小文字で始まる英小文字・数字・ハイフンにしてください。' });
  const sources: SourceValue[] = [];
  original.sources.forEach((s, i) => {
    const p = `s.${i}.`;
    sources.push({
      id: s.id,
      title: oneLine(get(`${p}title`)),
      url: oneLine(get(`${p}url`)),
      checked: oneLine(get(`${p}checked`)),
      ...(oneLine(get(`${p}asOf`)) ? { asOf: oneLine(get(`${p}asOf`)) } : {}),
      thirdParty: get(`${p}thirdParty`) === 'on',
    });
  });
  const p = 's.new.';
  const added = {
    id: oneLine(get(`${p}id`)),
    title: oneLine(get(`${p}title`)),
    url: oneLine(get(`${p}url`)),
    checked: oneLine(get(`${p}checked`)),
    asOf: oneLine(get(`${p}asOf`)),
  };
  if (added.title || added.url) {
    // Staff do not name sources: a new one is numbered unless an id was sent (imports, scripts).
    if (!added.id) added.id = nextId('source', [...takenSourceIds, ...sources.map((s) => s.id)]);
    if (!SOURCE_ID.test(added.id)) errors.push({ field: `${p}id`, message: '新しい出典のIDは、英小文字・数字・ハイフンで書いてください（例: city-kodomoen）' });
    else {
      sources.push({
        id: added.id,
        title: added.title,
        url: added.url,
        checked: added.checked,
        ...(added.asOf ? { asOf: added.asOf } : {}),
        thirdParty: get(`${p}thirdParty`) === 'on',
      });
      if (!facility.sources.includes(added.id)) facility.sources.push(added.id);
    }
  }
  return { draft: { facility, sources }, errors };
}

/** The files with knowledge/_facilities.yaml edited to match the draft (other files untouched). */
export function applyFacilityDraft(files: KnowledgeFiles, draft: FacilityDraft): Record<string, string> {
  const text = files[FACILITIES_FILE] ?? 'facilities: []\nareas: []\nsources: []\n';
  return { ...files, [FACILITIES_FILE]: patchFacilityYaml(text, draft.facility.id, draft.facility, draft.sources) };
}
