import { EventEmitter } from 'node:events';
import type { HandoffEvents, HandoffStore, TranscriptStore } from './handoff-store.js';
import type { Handoff, HandoffEvent, HandoffStatus, NewTranscriptEntry, TranscriptEntry } from './types.js';

export interface MemoryRetention {
  /** How long records and transcripts are kept after their last write. */
  retentionMs: number;
  now?: () => number;
}

/** In-process handoff records (one instance, no Redis); same contract as the Redis store. */
export class MemoryHandoffStore implements HandoffStore {
  private readonly records = new Map<string, { handoff: Handoff; expires: number }>();
  private readonly openByUser = new Map<string, string>();
  private readonly now: () => number;

  constructor(private readonly opts: MemoryRetention) {
    this.now = opts.now ?? Date.now;
  }

  async create(handoff: Handoff): Promise<boolean> {
    const current = this.openByUser.get(handoff.userId);
    if (current && this.live(current)) return false;
    this.put(structuredClone(handoff));
    if (handoff.status !== 'closed') this.openByUser.set(handoff.userId, handoff.id);
    return true;
  }

  async get(id: string): Promise<Handoff | undefined> {
    const h = this.live(id);
    return h && structuredClone(h);
  }

  async openFor(userId: string): Promise<Handoff | undefined> {
    const id = this.openByUser.get(userId);
    return id ? this.get(id) : undefined;
  }

  async update(id: string, from: readonly HandoffStatus[], patch: Partial<Handoff>): Promise<Handoff | undefined> {
    const h = this.live(id);
    if (!h || !from.includes(h.status)) return undefined;
    const next: Handoff = { ...h, ...structuredClone(patch) };
    this.put(next);
    if (next.status === 'closed' && this.openByUser.get(next.userId) === id) this.openByUser.delete(next.userId);
    return structuredClone(next);
  }

  async listOpen(): Promise<Handoff[]> {
    return this.all()
      .filter((h) => h.status !== 'closed')
      .sort((a, b) => a.openedAt - b.openedAt);
  }

  async listClosed(limit: number): Promise<Handoff[]> {
    return this.all()
      .filter((h) => h.status === 'closed')
      .sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0))
      .slice(0, limit);
  }

  async eraseUser(userId: string): Promise<string[]> {
    const ids = [...this.records.values()].filter((r) => r.handoff.userId === userId).map((r) => r.handoff.id);
    for (const id of ids) this.records.delete(id);
    this.openByUser.delete(userId);
    return ids;
  }

  private all(): Handoff[] {
    return [...this.records.keys()].flatMap((id) => {
      const h = this.live(id);
      return h ? [structuredClone(h)] : [];
    });
  }

  private put(handoff: Handoff) {
    this.records.set(handoff.id, { handoff, expires: this.now() + this.opts.retentionMs });
  }

  private live(id: string): Handoff | undefined {
    const r = this.records.get(id);
    if (!r) return undefined;
    if (r.expires <= this.now()) {
      this.records.delete(id);
      if (this.openByUser.get(r.handoff.userId) === id) this.openByUser.delete(r.handoff.userId);
      return undefined;
    }
    return r.handoff;
  }
}

export class MemoryTranscriptStore implements TranscriptStore {
  private readonly logs = new Map<string, { entries: TranscriptEntry[]; seq: number }>();
  private readonly now: () => number;

  constructor(private readonly opts: MemoryRetention & { maxEntries?: number }) {
    this.now = opts.now ?? Date.now;
  }

  async append(userId: string, entry: NewTranscriptEntry): Promise<string> {
    const log = this.logs.get(userId) ?? { entries: [], seq: 0 };
    const id = `${entry.at}-${log.seq++}`;
    log.entries.push({ ...entry, id });
    const max = this.opts.maxEntries ?? 1000;
    if (log.entries.length > max) log.entries.splice(0, log.entries.length - max);
    this.logs.set(userId, log);
    return id;
  }

  async list(userId: string, limit = 500): Promise<TranscriptEntry[]> {
    const cutoff = this.now() - this.opts.retentionMs;
    const log = this.logs.get(userId);
    if (!log) return [];
    log.entries = log.entries.filter((e) => e.at > cutoff);
    return structuredClone(log.entries.slice(-limit));
  }

  async removeMessage(userId: string, messageId: string): Promise<number> {
    const log = this.logs.get(userId);
    if (!log) return 0;
    const before = log.entries.length;
    log.entries = log.entries.filter((e) => e.messageId !== messageId);
    return before - log.entries.length;
  }

  async erase(userId: string): Promise<void> {
    this.logs.delete(userId);
  }
}

export class MemoryHandoffEvents implements HandoffEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open console stream.
    this.emitter.setMaxListeners(0);
  }

  async publish(event: HandoffEvent): Promise<void> {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: HandoffEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /** Never called: within one process nothing is missed. */
  onResubscribed(): () => void {
    return () => undefined;
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
