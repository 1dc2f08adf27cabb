import type { Decision } from '../../core/conversation/types.js';
import { WITH_STAFF } from '../handoff/types.js';

/**
 * Monthly counters for the city's yearly review: decisions by action, answers per service, and 役に立った /
 * 役に立たなかった per service. Numbers only — nothing anyone wrote.
 */
export interface MonthlyCounts {
  month: string;
  counts: Record<string, number>;
}

export interface UsageStats {
  record(decision: Decision, at: number): Promise<void>;
  /** A handoff claimed by staff after waiting this long. */
  recordClaim(waitMs: number, at: number): Promise<void>;
  month(month: string): Promise<MonthlyCounts>;
}

/** 「2026-11」 in Japan time. */
export const monthOf = (at: number) => new Date(at + 9 * 3600_000).toISOString().slice(0, 7);

/** Messages parents sent to staff during a handoff: neither questions to the bot nor new handoffs. */
export const TO_STAFF = 'to_staff';

/** The counter fields one decision adds to. */
export function fieldsOf(d: Decision): string[] {
  if (d.reason === WITH_STAFF) return [TO_STAFF];
  const fields = [`action:${d.action}`];
  if (d.action === 'answer' && d.intent) fields.push(`answer:${d.intent}`);
  if (d.reason) fields.push(`reason:${d.action}:${d.reason.replace(/:.*$/, '')}`);
  if (d.feedback) fields.push(`feedback:${d.feedback.intent}:${d.feedback.vote}`);
  return fields;
}

/** Claim waiting time as counters: how many, the sum, and a few buckets for a median-ish reading. */
export function claimFields(waitMs: number): [string, number][] {
  const minutes = waitMs / 60_000;
  const bucket = minutes <= 5 ? 'claim:within5m' : minutes <= 30 ? 'claim:within30m' : minutes <= 120 ? 'claim:within2h' : 'claim:over2h';
  return [
    ['claim:count', 1],
    ['claim:minutesTotal', Math.round(minutes)],
    [bucket, 1],
  ];
}

export class MemoryUsageStats implements UsageStats {
  private readonly months = new Map<string, Record<string, number>>();

  async record(decision: Decision, at: number): Promise<void> {
    this.add(
      at,
      fieldsOf(decision).map((f) => [f, 1]),
    );
  }

  async recordClaim(waitMs: number, at: number): Promise<void> {
    this.add(at, claimFields(waitMs));
  }

  private add(at: number, fields: [string, number][]) {
    const m = monthOf(at);
    const counts = this.months.get(m) ?? {};
    for (const [f, n] of fields) counts[f] = (counts[f] ?? 0) + n;
    this.months.set(m, counts);
  }

  async month(month: string): Promise<MonthlyCounts> {
    return { month, counts: { ...(this.months.get(month) ?? {}) } };
  }
}
