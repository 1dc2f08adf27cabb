import { randomUUID } from 'node:crypto';
import { JA } from '../../core/conversation/copy/ja.js';
import type { HandoffService, OpenInput } from '../handoff/service.js';
import type { Logger } from '../log.js';
import type { PromiseSpool, Promised } from './promise-spool.js';

export interface KeptPromisesDeps {
  handoff: Pick<HandoffService, 'open' | 'tellParent'>;
  /** Erases everything stored about a person; throws while the store is away. */
  erase: (userId: string) => Promise<void>;
  /** What a parent is told when their erase could not be done in the end. */
  eraseFailedText: () => string;
  /** Where the promises outlive the process; without one they are kept in memory only (and counted in the log). */
  spool?: PromiseSpool;
  logger?: Logger;
  /** First wait before trying again (default 2 s); it doubles while nothing gets done, up to a minute. */
  retryMs?: number;
  /** A promise not kept after this long is given up (default 24 h): the spool holds personal data no longer. */
  maxAgeMs?: number;
  now?: () => number;
}

/** Tries before one promise is given up: a record that can never be stored must not be retried for ever. */
export const MAX_TRIES = 300;
const MAX_RETRY_MS = 60_000;

/**
 * Handoffs and erases promised to parents while the store was away, done as soon as it is back: erases first (an
 * erase also drops a handoff promised to the same person before it), then handoffs, each on its own so one that
 * fails does not hold up the others. Every change is written through to the spool, so a promise survives a shutdown,
 * a crash and a restart; what another instance left there is taken over. A promise is given up after MAX_TRIES or
 * `maxAgeMs` — logged without who it was, and an erase given up is reported to the parent.
 */
export class KeptPromises {
  private items: Promised[] = [];
  private readonly tries = new Map<string, number>();
  private readonly now: () => number;
  private readonly retryMs: number;
  private readonly maxAgeMs: number;
  private delay: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Flushes and take-overs, one at a time. */
  private serial: Promise<unknown> = Promise.resolve();
  /** Writes to the spool, in order; `unsaved` while the last one failed. */
  private saving: Promise<void> = Promise.resolve();
  private unsaved = false;
  private closed = false;

  constructor(private readonly deps: KeptPromisesDeps) {
    this.now = deps.now ?? Date.now;
    this.retryMs = deps.retryMs ?? 2000;
    this.maxAgeMs = deps.maxAgeMs ?? 86_400_000;
    this.delay = this.retryMs;
  }

  /** Resolves once the promise is in the spool (never rejects: a spool that cannot be written is logged). */
  handoff(input: OpenInput): Promise<void> {
    return this.add({ kind: 'handoff', id: randomUUID(), at: this.now(), input });
  }

  /** `chatId`: where the parent hears the outcome; none after an unfollow. Resolves as `handoff` does. */
  erase(userId: string, chatId?: string): Promise<void> {
    this.items = this.items.filter((i) => !(i.kind === 'handoff' && i.input.userId === userId));
    return this.add({ kind: 'erase', id: randomUUID(), at: this.now(), userId, ...(chatId ? { chatId } : {}) });
  }

  /** Tries the erases, then the handoffs. Returns how many promises are left. */
  flush(): Promise<number> {
    return this.run(async () => {
      const done = (await this.round('erase')) + (await this.round('handoff'));
      this.delay = done ? this.retryMs : Math.min(this.delay * 2, MAX_RETRY_MS);
      return this.items.length;
    });
  }

  /** Only the handoffs (or only the erases); returns how many of that kind are left. */
  flushKind(kind: Promised['kind']): Promise<number> {
    return this.run(async () => {
      await this.round(kind);
      return this.items.filter((i) => i.kind === kind).length;
    });
  }

  /** Takes over what stopped or dead instances left in the spool; returns how many promises were taken. */
  takeOver(): Promise<number> {
    const spool = this.deps.spool;
    if (!spool || this.closed) return Promise.resolve(0);
    return this.run(async () => {
      const taken = await spool.takeLeftovers(async (items) => {
        for (const item of items.sort((a, b) => a.at - b.at)) {
          if (this.items.some((i) => i.id === item.id)) continue;
          if (item.kind === 'erase') this.items = this.items.filter((i) => !(i.kind === 'handoff' && i.input.userId === item.userId));
          this.items.push(item);
        }
        await this.save();
        if (this.unsaved) throw new Error('the spool could not be written');
      });
      if (taken) this.deps.logger?.warn({ ...this.counts(), where: spool.where }, 'taking over promises to parents left by a stopped instance');
      this.schedule();
      return taken;
    });
  }

  /**
   * Shutdown: one last try, then what is left stays in the spool for the next instance (released, so it may take it
   * at once). Without a spool, or when it cannot be written, an error line counts what is lost (never who).
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    await this.saving;
    const left = this.counts();
    const { spool, logger } = this.deps;
    if (spool && !this.unsaved) {
      await spool.release().catch((err: Error) => logger?.warn({ err: err.message }, 'spool not released; the next instance takes it over after its lease'));
      if (this.items.length) logger?.warn({ ...left, where: spool.where }, 'promises to parents kept in the spool for the next instance');
      return;
    }
    if (left.erases) logger?.error({ lost: left.erases }, 'erases requested by parents could not be done before shutdown');
    if (left.handoffs) logger?.error({ lost: left.handoffs, urgent: left.urgent }, 'handoffs promised to parents could not be stored before shutdown');
  }

  private counts() {
    const handoffs = this.items.filter((i) => i.kind === 'handoff');
    return { handoffs: handoffs.length, urgent: handoffs.filter((i) => i.input.reason === 'emergency').length, erases: this.items.length - handoffs.length };
  }

  private add(item: Promised): Promise<void> {
    this.items.push(item);
    this.schedule();
    return this.save();
  }

  private remove(item: Promised): void {
    this.items = this.items.filter((i) => i !== item);
    this.tries.delete(item.id);
    void this.save();
  }

  /** Writes the promises through to the spool, in order; a failure is logged (with counts) and leaves `unsaved`. */
  private save(): Promise<void> {
    const spool = this.deps.spool;
    if (!spool) return Promise.resolve();
    this.saving = this.saving.then(async () => {
      try {
        await spool.keep([...this.items]);
        this.unsaved = false;
      } catch (err) {
        this.unsaved = true;
        this.deps.logger?.error({ err: (err as Error).message, ...this.counts() }, 'promises to parents could not be written to the spool');
      }
    });
    return this.saving;
  }

  private run<T>(step: () => Promise<T>): Promise<T> {
    const next = this.serial.then(step, step);
    this.serial = next.catch(() => undefined);
    return next;
  }

  private schedule(): void {
    if (this.closed || this.timer || !this.items.length) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().then(() => this.schedule());
    }, this.delay);
    this.timer.unref();
  }

  /** Tries every promise of one kind once; returns how many were kept. */
  private async round(kind: Promised['kind']): Promise<number> {
    let done = 0;
    for (const item of this.items.filter((i) => i.kind === kind)) {
      // Dropped meanwhile (an erase for the same person came in).
      if (!this.items.includes(item)) continue;
      const age = this.now() - item.at;
      try {
        if (age > this.maxAgeMs) throw new Error('promise older than its retention');
        if (item.kind === 'handoff') await this.deps.handoff.open(item.input);
        else await this.deps.erase(item.userId);
      } catch (err) {
        const tries = (this.tries.get(item.id) ?? 0) + 1;
        this.tries.set(item.id, tries);
        if (tries < MAX_TRIES && age <= this.maxAgeMs) continue;
        this.remove(item);
        await this.givenUp(item, tries, age, err as Error);
        continue;
      }
      this.remove(item);
      done++;
      if (item.kind === 'erase') {
        this.deps.logger?.info({ erased: true, delayed: true }, 'conversation data erased at the person’s request');
        await this.tell(item, JA.erase.doneLater);
      }
    }
    return done;
  }

  private async givenUp(item: Promised, tries: number, ageMs: number, err: Error): Promise<void> {
    const fields = { err: err.message, tries, ageMinutes: Math.round(ageMs / 60_000) };
    if (item.kind === 'handoff') {
      this.deps.logger?.error({ ...fields, reason: item.input.reason === 'emergency' ? 'emergency' : 'other' }, 'handoff dropped: it could not be stored');
      return;
    }
    this.deps.logger?.error(fields, 'erase given up: it could not be done');
    await this.tell(item, this.deps.eraseFailedText());
  }

  private async tell(item: Extract<Promised, { kind: 'erase' }>, text: string): Promise<void> {
    if (!item.chatId) return;
    await this.deps.handoff
      .tellParent(item.chatId, [{ type: 'text', text }])
      .catch((err: Error) => this.deps.logger?.warn({ err: err.message }, 'erase outcome not delivered'));
  }
}
