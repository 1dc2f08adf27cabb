import { JA } from '../conversation/copy/ja.js';

/** The sentences office hours are told with (the copy's `officeHours`, in any language). */
export type OfficeHoursWords = typeof JA.officeHours;
import holidayJp from '@holiday-jp/holiday_jp';
import { z } from 'zod';

/** When 子育て支援課 answers: weekdays in a daily window, never on public holidays or over the new year. */
export const OfficeHoursConfig = z.object({
  /** Minutes after midnight, Japan time. */
  opensAt: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  closesAt: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  /** Closed days around the new year as [month, day] pairs (12/29–1/3 for Japanese municipalities). */
  yearEnd: z.array(z.tuple([z.number().int().min(1).max(12), z.number().int().min(1).max(31)])),
});
export type OfficeHoursConfig = z.infer<typeof OfficeHoursConfig>;

export const DEFAULT_OFFICE_HOURS: OfficeHoursConfig = {
  opensAt: 8 * 60 + 30,
  closesAt: 17 * 60 + 15,
  yearEnd: [
    [12, 29],
    [12, 30],
    [12, 31],
    [1, 1],
    [1, 2],
    [1, 3],
  ],
};

/** Parses `08:30-17:15` (the OFFICE_HOURS variable). */
export function parseOfficeWindow(text: string): { opensAt: number; closesAt: number } | undefined {
  const m = /^\s*(\d{1,2}):(\d{2})\s*[-–〜~]\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m) return undefined;
  const [opensAt, closesAt] = [Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])];
  return opensAt < closesAt && closesAt <= 24 * 60 ? { opensAt, closesAt } : undefined;
}

// Japan has no daylight saving time: Japan time is always UTC+9.
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

interface JstDay {
  /** Midnight of the day in Japan, as epoch ms. */
  start: number;
  year: number;
  month: number;
  day: number;
  weekday: number;
}

function jstDay(at: number): JstDay {
  const shifted = new Date(at + JST_OFFSET_MS);
  const start = Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()) - JST_OFFSET_MS;
  return { start, year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(), weekday: shifted.getUTCDay() };
}

const hhmm = (minutes: number) => `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;

export class OfficeHours {
  constructor(private readonly config: OfficeHoursConfig = DEFAULT_OFFICE_HOURS) {}

  /** Why a day is closed, or undefined on an office day. */
  closedReason(at: number): 'weekend' | 'holiday' | 'year_end' | undefined {
    const d = jstDay(at);
    if (this.config.yearEnd.some(([m, day]) => m === d.month && day === d.day)) return 'year_end';
    if (d.weekday === 0 || d.weekday === 6) return 'weekend';
    // The library reads the date in the machine's time zone: ask with local noon of the Japanese calendar day.
    if (holidayJp.isHoliday(new Date(d.year, d.month - 1, d.day, 12))) return 'holiday';
    return undefined;
  }

  isOpen(at: number): boolean {
    if (this.closedReason(at)) return false;
    const minutes = (at - jstDay(at).start) / 60_000;
    return minutes >= this.config.opensAt && minutes < this.config.closesAt;
  }

  /** The next moment the office opens (now, when it is open). */
  nextOpening(at: number): number {
    if (this.isOpen(at)) return at;
    let day = jstDay(at);
    for (let i = 0; i < 30; i++) {
      const opening = day.start + this.config.opensAt * 60_000;
      if (opening > at && !this.closedReason(opening)) return opening;
      day = jstDay(day.start + DAY_MS + 60 * 60_000);
    }
    throw new Error('no office day within 30 days: check the office hours configuration');
  }

  /** 「平日 8:30〜17:15（土日祝日・年末年始はお休み）」, or in the parent's language's words. */
  describe(words: OfficeHoursWords = JA.officeHours): string {
    return words.describe(hhmm(this.config.opensAt), hhmm(this.config.closesAt));
  }

  /** 「12月1日(月) 8:30」 */
  formatOpening(at: number, words: OfficeHoursWords = JA.officeHours): string {
    const d = jstDay(at);
    return words.opening(d.month, d.day, d.weekday, hhmm(Math.round((at - d.start) / 60_000)));
  }

  /** What happens next, for the parent who has just been handed over (in their language when its words are given). */
  nextStepsText(at: number, words: OfficeHoursWords = JA.officeHours): string {
    if (this.isOpen(at)) return words.openNow;
    const reason = this.closedReason(at);
    return words.closedNow(reason, this.formatOpening(this.nextOpening(at), words), this.describe(words));
  }
}
