import { randomUUID } from 'node:crypto';
import { luaScript } from '../stores/lua-script.js';
import type { RedisClient } from '../stores/redis-client.js';
import { redisSeenEventsKey } from '../stores/redis-store.js';
import type { Logger } from '../../app/log.js';

/**
 * Runs one person's events one at a time, in the order they were sent, while different people proceed in
 * parallel. `drain()` resolves when everything submitted to this instance has been processed.
 */
export interface UserOrder<T> {
  /**
   * `eventId`: the platform's id of the event; an order that keeps events in Redis skips one it has seen before
   * (duplicates, redeliveries) and calls `process` with `deduplicated` true, so the caller need not check again.
   */
  submit(key: string, at: number, item: T, eventId?: string): void;
  drain(): Promise<void>;
}

export type ProcessItem<T> = (item: T, deduplicated: boolean) => Promise<void>;
export type UserOrderFactory = <T>(process: ProcessItem<T>, onDuplicate?: (item: T) => void) => UserOrder<T>;

/** One instance: a promise chain per person. */
export class MemoryUserOrder<T> implements UserOrder<T> {
  /** Tail of each person's chain; removed when it is the last one and has finished. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly process: ProcessItem<T>) {}

  submit(key: string, _at: number, item: T): void {
    const task = () => this.process(item, false);
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

export interface RedisUserOrderOptions<T = unknown> {
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
  /** How long an event id is remembered for skipping duplicates (LINE redelivers for up to a day at most). */
  eventTtlSeconds?: number;
  /** Called instead of processing for an event already seen. */
  onDuplicate?: (item: T) => void;
}

// Three scripts, so that each step is one round trip and no step can interleave badly with another instance:
// the lock is taken, and released only when the queue is empty, atomically. An event queued just after the
// release therefore finds the lock free and is drained by whoever queued it.
//   KEYS: the person's queue, their lock. Each returns [status, popped member if TAKEN].
const QUEUED = 0;
const BUSY = 1;
const TAKEN = 2;
const EMPTY = 3;
const DUPLICATE = 4;
/**
 * Queue an event unless its id (ARGV[9]; ARGV[7] = 1 when there is one) is among the person's recent ones (KEYS[3], a
 * sorted set by time: ids older than ARGV[8] seconds are dropped, ARGV[10] is now in ms); with ARGV[4] = 1 also try
 * to take the lock and pop the first event.
 */
const ENQUEUE = luaScript<[number, string?]>(
  `if ARGV[7] == '1' then
  if redis.call('ZSCORE', KEYS[3], ARGV[9]) then return {${DUPLICATE}} end
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', tonumber(ARGV[10]) - tonumber(ARGV[8]) * 1000)
  redis.call('ZADD', KEYS[3], ARGV[10], ARGV[9])
  redis.call('EXPIRE', KEYS[3], ARGV[8])
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
if ARGV[4] ~= '1' then return {${QUEUED}} end
if not redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[6], 'NX') then return {${BUSY}} end
local p = redis.call('ZPOPMIN', KEYS[1])
return {${TAKEN}, p[1]}`,
  3,
);
/** Take the lock and pop the first event, or release the lock if the queue is empty. */
const CLAIM = luaScript<[number, string?]>(
  `if not redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return {${BUSY}} end
local p = redis.call('ZPOPMIN', KEYS[1])
if p[1] then return {${TAKEN}, p[1]} end
redis.call('DEL', KEYS[2])
return {${EMPTY}}`,
  2,
);
/** While the lock is still ours: pop the next event and extend the lock, or release it when none is left. */
const NEXT = luaScript<[number, string?]>(
  `if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {${BUSY}} end
local p = redis.call('ZPOPMIN', KEYS[1])
if p[1] then
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  return {${TAKEN}, p[1]}
end
redis.call('DEL', KEYS[2])
return {${EMPTY}}`,
  2,
);

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
  private readonly eventTtl: number;

  constructor(
    private readonly process: ProcessItem<T>,
    private readonly opts: RedisUserOrderOptions<T>,
  ) {
    this.local = new MemoryUserOrder(process);
    this.prefix = opts.prefix ?? 'kc:';
    this.lockMs = opts.lockMs ?? 30_000;
    this.settleMs = opts.settleMs ?? 15;
    this.queueTtl = opts.queueTtlSeconds ?? 300;
    this.eventTtl = opts.eventTtlSeconds ?? 86_400;
  }

  private keys = (key: string) => [`${this.prefix}{${key}}:inbox`, `${this.prefix}{${key}}:inbox-lock`];

  /**
   * The queue is sorted by timestamp; events of one person with the same timestamp (several in one webhook body)
   * keep the order they were submitted in — a 1/1024 ms per position — instead of the random order of their ids.
   * An erase followed by an unfollow must never run the other way round.
   */
  private readonly lastAt = new Map<string, { at: number; n: number }>();
  private score(key: string, at: number): number {
    const last = this.lastAt.get(key);
    const n = last && last.at === at ? Math.min(last.n + 1, 1023) : 0;
    if (this.lastAt.size >= 10_000) this.lastAt.clear(); // only the latest timestamps matter
    this.lastAt.set(key, { at, n });
    return at + n / 1024;
  }

  submit(key: string, at: number, item: T, eventId?: string): void {
    const p = (async () => {
      const { redis } = this.opts;
      // The settle window counts from when the person sent the event: LINE's delivery has usually used it up already,
      // so most events wait not at all, and are queued and taken in one round trip.
      const wait = Math.min(this.settleMs, at + this.settleMs - Date.now());
      const token = randomUUID();
      let first: [number, string?];
      try {
        first = await ENQUEUE(
          redis,
          [...this.keys(key), redisSeenEventsKey(this.prefix, key)],
          [this.score(key, at), `${token}|${JSON.stringify({ item, once: !!eventId })}`, this.queueTtl, wait > 0 ? 0 : 1, token, this.lockMs, eventId ? 1 : 0, this.eventTtl, eventId ?? '', Date.now()],
        );
      } catch (err) {
        this.opts.logger.warn({ err: (err as Error).message }, 'event queue unavailable; processing locally');
        this.local.submit(key, at, item);
        return;
      }
      if (first[0] === DUPLICATE) {
        this.opts.onDuplicate?.(item);
        return;
      }
      if (first[0] === QUEUED) {
        await new Promise((r) => setTimeout(r, wait));
        first = await CLAIM(redis, this.keys(key), [token, this.lockMs]);
      }
      await this.drainFrom(key, token, first);
    })().catch((err: Error) => this.opts.logger.error({ err: err.message }, 'event queue drain failed'));
    this.track(p);
  }

  async drain(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
    await this.local.drain();
  }

  /** Processes popped events while the lock is ours; `BUSY` means another instance is draining this person. */
  private async drainFrom(key: string, token: string, first: [number, string?]): Promise<void> {
    let step = first;
    while (step[0] === TAKEN && step[1] !== undefined) {
      const member = step[1];
      try {
        const queued = JSON.parse(member.slice(member.indexOf('|') + 1)) as { item: T; once: boolean };
        await this.process(queued.item, queued.once);
      } catch (err) {
        // One event failing must not strand the person's later ones.
        this.opts.logger.error({ err: (err as Error).message }, 'queued event failed');
      }
      step = await NEXT(this.opts.redis, this.keys(key), [token, this.lockMs]);
    }
    if (step[0] === BUSY) {
      // The other instance will see our event. Should it die, look again once its lock expires.
      const retry = setTimeout(() => this.track(this.recheck(key)), this.lockMs + 100);
      retry.unref();
    }
  }

  private async recheck(key: string): Promise<void> {
    try {
      const token = randomUUID();
      await this.drainFrom(key, token, await CLAIM(this.opts.redis, this.keys(key), [token, this.lockMs]));
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, 'event queue recheck failed');
    }
  }

  private track(p: Promise<void>) {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }
}
