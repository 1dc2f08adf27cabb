import type { RedisClient } from '../stores/redis-client.js';

/**
 * When each staff member last had a conversation open, so the queue can mark what is new to them. Per staff member,
 * per handoff; each mark expires with the transcripts it refers to, so the store stays bounded without sweeping.
 */
export interface SeenStore {
  mark(username: string, handoffId: string, at: number): Promise<void>;
  /** The last time `username` saw each of these handoffs (absent: never). */
  lastSeen(username: string, handoffIds: readonly string[]): Promise<Map<string, number>>;
}

export class MemorySeenStore implements SeenStore {
  private readonly marks = new Map<string, { at: number; expires: number }>();
  private readonly now: () => number;

  constructor(private readonly opts: { ttlSeconds: number; now?: () => number }) {
    this.now = opts.now ?? Date.now;
  }

  async mark(username: string, handoffId: string, at: number) {
    const now = this.now();
    for (const [k, v] of this.marks) if (v.expires <= now) this.marks.delete(k);
    this.marks.set(`${username}\n${handoffId}`, { at, expires: now + this.opts.ttlSeconds * 1000 });
  }

  async lastSeen(username: string, handoffIds: readonly string[]) {
    const now = this.now();
    const out = new Map<string, number>();
    for (const id of handoffIds) {
      const m = this.marks.get(`${username}\n${id}`);
      if (m && m.expires > now) out.set(id, m.at);
    }
    return out;
  }
}

/** One key per staff member and handoff, with its own expiry; the user's hash tag keeps one MGET in one slot. */
export class RedisSeenStore implements SeenStore {
  private readonly prefix: string;

  constructor(private readonly opts: { redis: RedisClient; ttlSeconds: number; prefix?: string }) {
    this.prefix = `${opts.prefix ?? 'kc:'}console:seen:`;
  }

  private key(username: string, handoffId: string) {
    return `${this.prefix}{${username}}:${handoffId}`;
  }

  async mark(username: string, handoffId: string, at: number) {
    await this.opts.redis.set(this.key(username, handoffId), String(at), 'EX', this.opts.ttlSeconds);
  }

  async lastSeen(username: string, handoffIds: readonly string[]) {
    const out = new Map<string, number>();
    if (!handoffIds.length) return out;
    const values = await this.opts.redis.mget(...handoffIds.map((id) => this.key(username, id)));
    values.forEach((v, i) => {
      const at = Number(v);
      if (v !== null && Number.isFinite(at)) out.set(handoffIds[i]!, at);
    });
    return out;
  }
}
