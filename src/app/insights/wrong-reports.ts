import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Facet } from '../../core/knowledge/schema.js';

/**
 * A parent's 「この情報はまちがっている」 on an answer card: which card (entry, facet, knowledge-base version), when, and
 * what they said was wrong (masked like the unanswered log, optional). Staff see the open ones and close them.
 */
export const WrongReport = z.object({
  id: z.string(),
  at: z.number(),
  intent: z.string(),
  facet: Facet,
  /** The knowledge-base version that answered (undefined: the repository's files, no stored version). */
  version: z.number().optional(),
  /** Already masked (maskPersonalData); absent when the parent did not say. */
  text: z.string().optional(),
  status: z.enum(['open', 'handled']),
  handledAt: z.number().optional(),
  /** Console username. */
  handledBy: z.string().optional(),
});
export type WrongReport = z.infer<typeof WrongReport>;

/** How long after the tap the parent's next message may still be added to the report. */
export const REPORT_DETAIL_WINDOW_MS = 10 * 60_000;
/** Reports one person may open in a day: one person or a script must not bury the list for staff. */
export const REPORTS_PER_PERSON_PER_DAY = 20;

export interface WrongReportStore {
  /** Keeps a new open report from `userId` (who is kept only to erase it on request); its id, or undefined over quota. */
  open(userId: string, r: { at: number; intent: string; facet: Facet; version?: number }): Promise<string | undefined>;
  /** Adds what is wrong (masked) to the person's latest report, if it is recent and has none yet; whether it did. */
  addDetail(userId: string, text: string, at: number): Promise<boolean>;
  /** Open reports, newest first. */
  listOpen(limit?: number): Promise<WrongReport[]>;
  /** Closes an open report; false when there is no such open report. */
  handle(id: string, by: string, at: number): Promise<boolean>;
  /** The per-user erase: every report the person made. */
  forget(userId: string): Promise<void>;
}

export const newReportId = (): string => randomUUID().replace(/-/g, '').slice(0, 20);

/** One process, without Redis. */
export class MemoryWrongReportStore implements WrongReportStore {
  private readonly reports = new Map<string, WrongReport & { by: string }>();
  constructor(
    private readonly retentionMs: number,
    private readonly now: () => number = Date.now,
    private readonly max = 5000,
  ) {}

  private prune() {
    const cutoff = this.now() - this.retentionMs;
    for (const [id, r] of this.reports) if (r.at < cutoff) this.reports.delete(id);
    while (this.reports.size > this.max) this.reports.delete(this.reports.keys().next().value!);
  }

  async open(userId: string, r: { at: number; intent: string; facet: Facet; version?: number }) {
    this.prune();
    const today = [...this.reports.values()].filter((x) => x.by === userId && r.at - x.at < 86_400_000).length;
    if (today >= REPORTS_PER_PERSON_PER_DAY) return undefined;
    const id = newReportId();
    this.reports.set(id, { id, ...r, status: 'open', by: userId });
    return id;
  }

  async addDetail(userId: string, text: string, at: number) {
    const latest = [...this.reports.values()].filter((x) => x.by === userId).at(-1);
    if (!latest || latest.text !== undefined || at - latest.at > REPORT_DETAIL_WINDOW_MS) return false;
    latest.text = text;
    return true;
  }

  async listOpen(limit = 500) {
    this.prune();
    return [...this.reports.values()]
      .filter((r) => r.status === 'open')
      .reverse()
      .slice(0, limit)
      .map(({ by: _who, ...r }) => r);
  }

  async handle(id: string, by: string, at: number) {
    const r = this.reports.get(id);
    if (!r || r.status !== 'open') return false;
    Object.assign(r, { status: 'handled', handledAt: at, handledBy: by });
    return true;
  }

  async forget(userId: string) {
    for (const [id, r] of this.reports) if (r.by === userId) this.reports.delete(id);
  }
}
