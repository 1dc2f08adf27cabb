import type { ConversationState } from '../../core/conversation/types.js';
import type { AppliedTurn, ConversationStore } from './state-store.js';

export interface MemoryStateStoreOptions {
  /** How long a conversation is kept after its last write. */
  ttlSeconds: number;
  /** How long an event id is remembered for duplicate detection. */
  eventTtlSeconds?: number;
  /** Clock in epoch milliseconds; injectable for tests. */
  now?: () => number;
  /** How often expired entries are swept out so memory stays bounded. Defaults to min(ttl, 60 s), at least 1 s. */
  sweepIntervalMs?: number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

function positiveSeconds(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Conversation state in this process only: lost on restart and not shared between instances. Fine for local
 * use and a single instance; use RedisStateStore otherwise. Besides the conversation's ports it serves the webhook's
 * SeenEvents and the HTTP app's Readiness (see StateStore in src/adapters/stores). Expired values are invisible immediately (checked
 * on read) and removed by a periodic sweep.
 */
export class MemoryStateStore implements ConversationStore {
  readonly kind = 'memory' as const;
  private readonly ttlMs: number;
  private readonly eventTtlMs: number;
  private readonly now: () => number;
  private readonly states = new Map<string, Entry<ConversationState>>();
  private readonly turns = new Map<string, Entry<AppliedTurn>>();
  private readonly events = new Map<string, number>();
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor({ ttlSeconds, eventTtlSeconds = 86_400, now = Date.now, sweepIntervalMs }: MemoryStateStoreOptions) {
    this.ttlMs = positiveSeconds('ttlSeconds', ttlSeconds) * 1000;
    this.eventTtlMs = positiveSeconds('eventTtlSeconds', eventTtlSeconds) * 1000;
    this.now = now;
    const interval = sweepIntervalMs ?? Math.max(1000, Math.min(this.ttlMs, 60_000));
    this.sweeper = setInterval(() => this.sweep(), interval);
    this.sweeper.unref();
  }

  async get(userId: string): Promise<ConversationState | undefined> {
    const entry = this.states.get(userId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.states.delete(userId);
      return undefined;
    }
    return structuredClone(entry.value);
  }

  async set(userId: string, state: ConversationState, turn?: AppliedTurn): Promise<void> {
    this.states.set(userId, { value: structuredClone(state), expiresAt: this.now() + this.ttlMs });
    if (turn) await this.recordTurn(userId, turn);
  }

  async recordTurn(userId: string, turn: AppliedTurn): Promise<void> {
    this.turns.set(userId, { value: structuredClone(turn), expiresAt: this.now() + this.ttlMs });
  }

  async appliedTurn(userId: string, eventId: string): Promise<AppliedTurn | undefined> {
    const entry = this.turns.get(userId);
    return entry && entry.expiresAt > this.now() && entry.value.eventId === eventId ? structuredClone(entry.value) : undefined;
  }

  async delete(userId: string): Promise<void> {
    this.states.delete(userId);
    this.turns.delete(userId);
  }

  async markEvent(eventId: string): Promise<boolean> {
    const now = this.now();
    const expiresAt = this.events.get(eventId);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.events.set(eventId, now + this.eventTtlMs);
    return true;
  }

  async ready(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.states.clear();
    this.turns.clear();
    this.events.clear();
  }

  /** Removes expired conversations and event ids. Runs on an interval; public so tests can call it. */
  sweep(): void {
    const now = this.now();
    for (const [userId, entry] of this.states) if (entry.expiresAt <= now) this.states.delete(userId);
    for (const [userId, entry] of this.turns) if (entry.expiresAt <= now) this.turns.delete(userId);
    for (const [eventId, expiresAt] of this.events) if (expiresAt <= now) this.events.delete(eventId);
  }

  /** Entries currently held (conversations + event ids), expired or not; for tests and metrics. */
  get size(): number {
    return this.states.size + this.events.size;
  }
}
