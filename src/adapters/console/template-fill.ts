import type { OfficeHours } from '../../core/calendar/office-hours.js';

/** The placeholders a template may use, with what each becomes when it is put into the reply box. */
export const PLACEHOLDERS = {
  次の受付時間: '次に担当者がお返事できる日時（例：12月8日(火) 8:30）',
  受付時間: '受付時間の説明（例：平日 8:30〜17:15（土日祝日・年末年始はお休み））',
  担当者名: 'あなたの表示名',
} as const;
type Placeholder = keyof typeof PLACEHOLDERS;

const PATTERN = /\{([^{}\s]{1,20})\}/g;

/** Placeholder names in a text that are not known, so a typo is caught when the template is saved. */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PATTERN)].map((m) => m[1]!).filter((name) => !(name in PLACEHOLDERS));
}

/** The next time the office opens after the current opening hours (during hours, that is tomorrow's or later). */
function nextOpeningAfterNow(hours: OfficeHours, now: number): number {
  let t = now;
  // Steps of 15 minutes through today's open hours; at most a day of them.
  for (let i = 0; i < 96 && hours.isOpen(t); i++) t += 15 * 60_000;
  return hours.nextOpening(t);
}

export function fillTemplate(text: string, ctx: { hours: OfficeHours; now: number; staffName: string }): string {
  const values: Record<Placeholder, () => string> = {
    次の受付時間: () => ctx.hours.formatOpening(nextOpeningAfterNow(ctx.hours, ctx.now)),
    受付時間: () => ctx.hours.describe(),
    担当者名: () => ctx.staffName,
  };
  return text.replace(PATTERN, (all, name: string) => (name in values ? values[name as Placeholder]() : all));
}
