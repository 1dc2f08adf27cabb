import { FACILITY_KIND_LABELS, type FacilityKind } from '../knowledge/facilities/schema.js';
import type { DirectoryAnswer, FacilityDirectory } from './directory.js';

const time = (m: number) => `${Math.floor(m / 60)}時${m % 60 ? `${m % 60}分` : ''}`;

/** The kinds as parents say them: 保育園 asks for こども園 and 保育の場 alike, so both labels are named. */
const kindsText = (kinds: FacilityKind[]) => (kinds.length ? kinds.map((k) => FACILITY_KIND_LABELS[k]).join('・') : '施設');

/**
 * The sentence before the cards: what was looked for and how many were found, or — when nothing of that kind is
 * recorded where the family asked — that plainly, before the same kind elsewhere. Never claims more than the records:
 * 「確認できた情報の中には」.
 */
export function directoryLead(found: DirectoryAnswer, directory: Pick<FacilityDirectory, 'area'>): string {
  const q = found.query;
  const n = found.facilities.length + found.more;
  const more = found.more ? `（多いため${found.facilities.length}件まで表示します）` : '';
  const tail = '各カードに出典と、その情報がいつの時点のものかを載せています。';
  if (q.named.length) {
    const names = found.facilities.map((f) => f.name).join('、');
    return `${names}のご案内です。${tail}`;
  }
  const islands = q.areas.length > 1 && q.areas.every((a) => directory.area(a)?.island);
  const where = islands ? '島しょ部' : q.areas.join('・');
  const when = [q.opensBy !== undefined ? `${time(q.opensBy)}から` : '', q.closesBy !== undefined ? `${time(q.closesBy)}まで` : ''].join('');
  const open = when ? `${when}開いている` : '';
  const kinds = kindsText(q.kinds);
  const ages = q.ages.length ? `（${q.ages.map((a) => a.label).join('・')}）` : '';
  if (found.elsewhere) return `${where}の${open}${kinds}は、確認できた情報の中にはありません。ほかの地区の${kinds}をご案内します。${tail}`;
  const unknownAges = q.ages.length ? '対象年齢が確認できていない施設も含みます。' : '';
  return `${where ? `${where}の` : ''}${open}${kinds}${ages}は${n}件あります${more}。${unknownAges}${tail}`;
}
