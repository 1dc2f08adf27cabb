import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../stores/redis-client.js';
import { z } from 'zod';
import { parseStored } from '../stores/stored-json.js';

export const Session = z.object({
  username: z.string(),
  /** The synchronizer token every state-changing request must carry (see csrf.ts). */
  csrfToken: z.string(),
  createdAt: z.number(),
});
export type Session = z.infer<typeof Session>;

/**
 * Server-side console sessions. The id is 32 random bytes, known only to the browser's cookie; the store keeps its
 * SHA-256, so a copy of the store does not hold usable cookies. Sessions expire after `ttlSeconds` without use.
 */
export interface SessionStore {
  create(username: string): Promise<{ id: string; session: Session }>;
  /** The session, with its expiry pushed back (sliding). */
  touch(id: string): Promise<Session | undefined>;
  /** The session without extending it: an open live-update stream must not keep an idle session alive. */
  peek(id: string): Promise<Session | undefined>;
  destroy(id: string): Promise<void>;
}

const ID_FORMAT = /^[A-Za-z0-9_-]{43}$/;

function newSession(username: string, now: number): { id: string; session: Session } {
  return { id: randomBytes(32).toString('base64url'), session: { username, csrfToken: randomBytes(32).toString('base64url'), createdAt: now } };
}

/** Anything that is not the shape of an id we issued is not looked up at all. */
const storageKey = (id: string): string | undefined => (ID_FORMAT.test(id) ? createHash('sha256').update(id).digest('hex') : undefined);

export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, { session: Session; expires: number }>();
  private readonly now: () => number;

  constructor(private readonly opts: { ttlSeconds: number; now?: () => number }) {
    this.now = opts.now ?? Date.now;
  }

  async create(username: string) {
    this.sweep();
    const s = newSession(username, this.now());
    this.sessions.set(storageKey(s.id)!, { session: s.session, expires: this.now() + this.opts.ttlSeconds * 1000 });
    return { id: s.id, session: { ...s.session } };
  }

  async touch(id: string) {
    const key = storageKey(id);
    const r = key ? this.live(key) : undefined;
    if (!r) return undefined;
    r.expires = this.now() + this.opts.ttlSeconds * 1000;
    return { ...r.session };
  }

  async peek(id: string) {
    const key = storageKey(id);
    const r = key ? this.live(key) : undefined;
    return r && { ...r.session };
  }

  async destroy(id: string) {
    const key = storageKey(id);
    if (key) this.sessions.delete(key);
  }

  private live(key: string) {
    const r = this.sessions.get(key);
    if (r && r.expires <= this.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return r;
  }

  private sweep() {
    for (const key of this.sessions.keys()) this.live(key);
  }
}

/** Sessions in Redis with an expiry per key, so every instance sees them and Redis drops the idle ones itself. */
export class RedisSessionStore implements SessionStore {
  private readonly prefix: string;

  constructor(private readonly opts: { redis: RedisClient; ttlSeconds: number; prefix?: string }) {
    this.prefix = `${opts.prefix ?? 'kc:'}console:session:`;
  }

  async create(username: string) {
    const s = newSession(username, Date.now());
    await this.opts.redis.set(this.prefix + storageKey(s.id)!, JSON.stringify(s.session), 'EX', this.opts.ttlSeconds);
    return s;
  }

  async touch(id: string) {
    const key = storageKey(id);
    return key ? parseStored(Session, await this.opts.redis.getex(this.prefix + key, 'EX', this.opts.ttlSeconds)) : undefined;
  }

  async peek(id: string) {
    const key = storageKey(id);
    return key ? parseStored(Session, await this.opts.redis.get(this.prefix + key)) : undefined;
  }

  async destroy(id: string) {
    const key = storageKey(id);
    if (key) await this.opts.redis.del(this.prefix + key);
  }
}
