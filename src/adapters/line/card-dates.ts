import { fill, JA_CARD, type CardWords } from '../../core/conversation/copy/ja.js';

/**
 * The Japanese date words of a source's `asOf` in the card's language (「2020年時点」 → "as of 2020", 「掲載時期不明」
 * → "posting date unknown"); what is not a date word stays as written. A 日本語 card keeps every `asOf` as written.
 */
export function datesIn(text: string, w: CardWords): string {
  const d = w.dates;
  if (w === JA_CARD) return text;
  const day = (y: string, m: string, dd: string) => fill(w.day, { y, m, d: dd });
  const date = String.raw`(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?(度)?`;
  const one = (y: string, m?: string, dd?: string, fy?: string) =>
    fy ? fill(d.fiscal, { y }) : dd ? day(y, m!, dd) : m ? fill(d.month, { y, m }) : fill(d.year, { y });
  return text
    .replace(/（一部は時点不明）/g, d.partlyUndated)
    .replace(/掲載時期不明|掲載年未確認/g, d.postedUnknown)
    .replace(/時点不明/g, w.undated)
    .replace(new RegExp(`${date}〜${date}`, 'g'), (_, y1, m1, d1, f1, y2, m2, d2, f2) => fill(d.range, { from: one(y1, m1, d1, f1), to: one(y2, m2, d2, f2) }))
    .replace(new RegExp(`${date}(時点|更新|現在)`, 'g'), (_, y, m, dd, fy, what: string) =>
      fill(what === '時点' ? d.point : what === '更新' ? d.updated : d.current, { date: one(y, m, dd, fy) }),
    )
    .replace(new RegExp(date, 'g'), (_, y, m, dd, fy) => one(y, m, dd, fy));
}
