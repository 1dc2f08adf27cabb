/**
 * When a piece of information is from, as far as its sources say. Pure functions: no clock (today is passed in).
 *
 * The rule a card follows (issue 18): a card tells two dates, and never one its sources do not support.
 * - 「情報の時点」 is the sources' own date (`asOf`), never the day an entry was written or checked. A source's
 *   `asOf` is dated when it begins with its date (「2025年11月更新」「2017年時点」「令和元年制定の規則」
 *   「2025年度」); anything else (「掲載時期不明」「時点不明」, missing) is undated. One dated source, or several with
 *   one date: that `asOf` as written. Several dates: their span, oldest to newest (「2017年〜2025年11月」), because
 *   the facet mixes facts of those times and the parent should see the oldest. Undated sources among them add
 *   「（一部は時点不明）」; none dated at all gives 「時点不明」.
 * - 「最終確認」 is the oldest `checked` among the facet's sources: by then every one of them had been compared
 *   with the entry. It is shown apart, small, because it says when we looked, not when the facts are from.
 * Each source line also carries its own `asOf`, so the span can be traced to the pages.
 */

export interface SourceDate {
  year: number;
  /** 1–12 when the source names its month. */
  month?: number;
}

const ERA_BASE: Record<string, number> = { 令和: 2018, 平成: 1988, 昭和: 1925 };

/**
 * The date an `asOf` begins with, or undefined when it does not begin with one (「掲載時期不明」「時点不明」「報道・
 * 掲載年は未確認」「長野県ページのキャッシュ」): a date somewhere later in the text (「掲載時期不明・2016年頃」,
 * 「2024年改正前」 written as 「掲載時期不明（2024年改正前）」) is not the source's own date.
 */
export function parseAsOf(asOf: string | undefined): SourceDate | undefined {
  if (!asOf) return undefined;
  const s = asOf.normalize('NFKC').trim();
  const western = /^(\d{4})年(?:度)?(?:(\d{1,2})月)?/.exec(s);
  const era = /^(令和|平成|昭和)(元|\d{1,2})年(?:度)?(?:(\d{1,2})月)?/.exec(s);
  let year: number | undefined;
  let month: number | undefined;
  if (western) {
    year = Number(western[1]);
    month = western[2] ? Number(western[2]) : undefined;
  } else if (era) {
    year = ERA_BASE[era[1]!]! + (era[2] === '元' ? 1 : Number(era[2]));
    month = era[3] ? Number(era[3]) : undefined;
  }
  if (year === undefined || year < 1900 || year > 2100) return undefined;
  if (month !== undefined && (month < 1 || month > 12)) month = undefined;
  return month ? { year, month } : { year };
}

const key = (d: SourceDate) => d.year * 100 + (d.month ?? 0);
const formatDate = (d: SourceDate) => (d.month ? `${d.year}年${d.month}月` : `${d.year}年`);

export const UNDATED = '時点不明';

/** The label for one source's line in the card: its `asOf` as written, or 時点不明. */
export const sourceDateLabel = (asOf: string | undefined): string => (asOf?.trim() ? asOf.trim() : UNDATED);

/** 「情報の時点」 for a facet from the `asOf` of the sources it cites (see the rule at the top of this file). */
export function informationDate(asOfs: readonly (string | undefined)[]): string {
  const dated = asOfs.map((a) => ({ a: a?.trim() ?? '', d: parseAsOf(a) })).filter((x): x is { a: string; d: SourceDate } => !!x.d);
  const undated = dated.length < asOfs.length;
  if (!dated.length) return UNDATED;
  const sorted = [...dated].sort((x, y) => key(x.d) - key(y.d));
  const oldest = sorted[0]!;
  const newest = sorted.at(-1)!;
  const distinct = new Set(dated.map((x) => x.a));
  const span = distinct.size === 1 ? oldest.a : key(oldest.d) === key(newest.d) ? formatDate(oldest.d) : `${formatDate(oldest.d)}〜${formatDate(newest.d)}`;
  return undated ? `${span}（一部は時点不明）` : span;
}

const PLAIN_DATE = String.raw`\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?度?`;
const PLAIN_AS_OF = new RegExp(`^(?:${PLAIN_DATE}(?:〜${PLAIN_DATE})?(?:時点|更新|現在)?|掲載時期不明|掲載年未確認|時点不明)(?:（一部は時点不明）)?$`);

/**
 * An `asOf` that is only a date and the date words a card writes in every language (the copy's `card.dates`:
 * 「2020年時点」「2025年11月更新」「掲載時期不明」): it needs no translation of its own. Any other note
 * (「平成22年2月9日制定」「2023年以降の園サイト」) is translated whole, in `languages/<code>/_sources.yaml`.
 */
export const isPlainAsOf = (asOf: string): boolean => PLAIN_AS_OF.test(asOf.trim());

/** `2026-11-29` → 「2026年11月29日」; undefined when it is not YYYY-MM-DD. */
export function japaneseDay(iso: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return `${m[1]}年${month}月${day}日`;
}

/** The oldest of the `checked` dates (YYYY-MM-DD sorts as text), or '' when there is none. */
export const oldestChecked = (checked: readonly string[]): string => [...checked].sort()[0] ?? '';

/** Days from `a` to `b` (both YYYY-MM-DD, UTC calendar days). */
export const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
