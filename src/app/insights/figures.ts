import { TO_STAFF, type MonthlyCounts, type UsageStats } from './usage-stats.js';
import { WITH_STAFF } from '../handoff/types.js';

/** One month of the figures the city's yearly review (PDCA) asks for. */
export interface MonthFigures {
  month: string;
  /** Every message the bot decided on. */
  questions: number;
  answers: number;
  clarify: number;
  fallback: number;
  handoff: number;
  emergency: number;
  /** Messages parents sent to staff during handoffs (not questions, not handoffs). */
  toStaff: number;
  /** Shares of all questions, in percent with one decimal. */
  answerRate: number;
  clarifyRate: number;
  fallbackRate: number;
  handoffRate: number;
  claims: number;
  /** Average minutes until staff claimed a handoff; undefined when none was claimed. */
  claimMinutesAvg?: number;
  claimWithin30m: number;
  feedbackUp: number;
  feedbackDown: number;
  /** Answers and feedback per service. */
  services: Record<string, { answers: number; up: number; down: number }>;
}

const pct = (n: number, of: number) => (of ? Math.round((n / of) * 1000) / 10 : 0);

export function figuresOf({ month, counts }: MonthlyCounts): MonthFigures {
  const c = (k: string) => counts[k] ?? 0;
  const answers = c('action:answer');
  const clarify = c('action:clarify');
  const fallback = c('action:fallback');
  // Months counted before messages to staff had a counter of their own counted them as handoffs with this reason.
  const toStaffBefore = c(`reason:handoff:${WITH_STAFF}`);
  const handoff = c('action:handoff') - toStaffBefore;
  const emergency = c('action:emergency');
  // Smalltalk (greetings, thanks, button taps like feedback) is not a question.
  const questions = answers + clarify + fallback + handoff + emergency;
  const services: MonthFigures['services'] = {};
  for (const [k, n] of Object.entries(counts)) {
    const answer = /^answer:(.+)$/.exec(k);
    const fb = /^feedback:(.+):(up|down)$/.exec(k);
    const id = answer?.[1] ?? fb?.[1];
    if (!id) continue;
    const s = (services[id] ??= { answers: 0, up: 0, down: 0 });
    if (answer) s.answers += n;
    else if (fb?.[2] === 'up') s.up += n;
    else s.down += n;
  }
  const claims = c('claim:count');
  return {
    month,
    questions,
    answers,
    clarify,
    fallback,
    handoff,
    emergency,
    toStaff: c(TO_STAFF) + toStaffBefore,
    answerRate: pct(answers, questions),
    clarifyRate: pct(clarify, questions),
    fallbackRate: pct(fallback, questions),
    handoffRate: pct(handoff, questions),
    claims,
    ...(claims ? { claimMinutesAvg: Math.round((c('claim:minutesTotal') / claims) * 10) / 10 } : {}),
    claimWithin30m: c('claim:within5m') + c('claim:within30m'),
    feedbackUp: Object.values(services).reduce((s, x) => s + x.up, 0),
    feedbackDown: Object.values(services).reduce((s, x) => s + x.down, 0),
    services,
  };
}

/** 「2026-04」…「2027-03」: the months from `from` to `to`, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while ((y < ty || (y === ty && m <= tm)) && out.length < 60) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

/** The Japanese fiscal year (年度) a month belongs to: April to March. */
export function fiscalYearOf(month: string): { from: string; to: string; label: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const start = m >= 4 ? y : y - 1;
  return { from: `${start}-04`, to: `${start + 1}-03`, label: `${start}年度` };
}

export async function figuresFor(stats: UsageStats, months: string[]): Promise<MonthFigures[]> {
  return Promise.all(months.map(async (m) => figuresOf(await stats.month(m))));
}
