import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../storage/redis-client.js';
import type { Logger } from '../../log.js';

/**
 * Runs one person's events one at a time, in the order they were sent, while different people proceed in
 * parallel. `drain()` resolves when everything submitted to this instance has been processed.
 */
export interface UserOrder<T> {
  submit(key: string, at: number, item: T): void;
  drain(): Promise<void>;
}

export type UserOrderFactory = <T>(process: (item: T) => Promise<void>) => UserOrder<T>;

/** One instance: a promise chain per person. */
export class MemoryUserOrder<T> implements UserOrder<T> {
  /** Tail of each person's chain; removed when it is the last one and has finished. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly process: (item: T) => Promise<void>) {}

  submit(key: string, _at: number, item: T): void {
    const task = () => this.process(item);
    const next = (this.chains.get(key) ?? Promise.resolve()).then(task, task);
    this.chains.set(key, next);
    this.track(next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  async drain(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  private track(p: Promise<void>) {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }
}

export interface RedisUserOrderOptions {
  redis: RedisClient;
  prefix?: string;
  logger: Logger;
  /** A drainer that dies keeps the person's lock this long at most. */
  lockMs?: number;
  /**
   * How long an event waits before its person's queue is drained, so that an earlier event delivered at the same
   * moment to another instance is queued first and goes first (ordering is by the event's timestamp).
   */
  settleMs?: number;
  /** Queued events (which hold what people wrote) vanish after this long even if never processed. */
  queueTtlSeconds?: number;
}

// Release the lock only if it is still ours (it may have expired and been taken by another instance).
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Several instances against one Redis: each person's events go into a sorted set by timestamp, and whichever
 * instance holds the person's lock processes them in order. When Redis cannot be reached, events are processed
 * locally at once (the bot keeps answering; only cross-instance ordering is lost).
 */
export class RedisUserOrder<T> implements UserOrder<T> {
  private readonly local: MemoryUserOrder<T>;
  private readonly inflight = new Set<Promise<void>>();
  private readonly prefix: string;
  private readonly lockMs: number;
  private readonly settleMs: number;
  private readonly queueTtl: number;

  constructor(
    private readonly process: (item: T) => Promise<void>,
    private readonly opts: RedisUserOrderOptions,
  ) {
    this.local = new MemoryUserOrder(process);
    this.prefix = opts.prefix ?? 'kc:';
    this.lockMs = opts.lockMs ?? 30_000;
    this.settleMs = opts.settleMs ?? 15;
    this.queueTtl = opts.queueTtlSeconds ?? 300;
  }

  private queueKey = (key: string) => `${this.prefix}{${key}}:inbox`;
  private lockKey = (key: string) => `${this.prefix}{${key}}:inbox-lock`;

  submit(key: string, at: number, item: T): void {
    const p = (async () => {
      const { redis } = this.opts;
      try {
        await redis.multi().zadd(this.queueKey(key), at, `${randomUUID()}|${JSON.stringify(item)}`).expire(this.queueKey(key), this.queueTtl).exec();
      } catch (err) {
        this.opts.logger.warn({ err: (err as Error).message }, 'event queue unavailable; processing locally');
        this.local.submit(key, at, item);
        return;
      }
      // The settle window counts from when the person sent the event: LINE's delivery has usually used it up already,
      // so most events wait not at all.
      const wait = Math.min(this.settleMs, at + this.settleMs - Date.now());
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await this.drainQueue(key);
    })().catch((err: Error) => this.opts.logger.error({ err: err.message }, 'event queue drain failed'));
    this.track(p);
  }

  async drain(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
    await this.local.drain();
  }

  private async drainQueue(key: string): Promise<void> {
    const { redis } = this.opts;
    for (;;) {
      const token = randomUUID();
      if ((await redis.set(this.lockKey(key), token, 'PX', this.lockMs, 'NX')) !== 'OK') {
        // Another instance is draining and will see our event. Should it die, look again once its lock expires.
        const retry = setTimeout(() => this.track(this.recheck(key)), this.lockMs + 100);
        retry.unref();
        return;
      }
      try {
        for (;;) {
          const popped = await redis.zpopmin(this.queueKey(key));
          if (!popped.length) break;
          await redis.pexpire(this.lockKey(key), this.lockMs);
          const member = popped[0]!;
          await this.process(JSON.parse(member.slice(member.indexOf('|') + 1)) as T);
        }
      } finally {
        await redis.eval(RELEASE, 1, this.lockKey(key), token);
      }
      // An event queued while we were releasing found the lock taken: it is ours to process.
      if ((await redis.zcard(this.queueKey(key))) === 0) return;
    }
  }

  private async recheck(key: string): Promise<void> {
    try {
      if ((await this.opts.redis.zcard(this.queueKey(key))) > 0) await this.drainQueue(key);
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, 'event queue recheck failed');
    }
  }

  private track(p: Promise<void>) {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }
}
