import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
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
   * Resolves (never rejects) once the event is in the order's keeping: queued in Redis, known as a duplicate, or taken
   * by this instance because the queue could not take it. Until then an instance that dies loses the event.
   */
  submit(key: string, at: number, item: T, eventId?: string): Promise<void>;
  drain(): Promise<void>;
  /** Shutdown after the drain budget: take nothing more; says what was left unfinished (see RedisUserOrder.stop). */
  stop(): Promise<{ inRedis: number; local: number }>;
  /** Takes over queues left by other instances (orders kept in Redis); how many were found. */
  rescan?(): Promise<number>;
}

/**
 * `deduplicated`: the order already made sure this event is handled by this call only. `resumed`: another drainer
 * (an instance that died or ran out of its shutdown budget) had started this event, so its answer may already have
 * gone out (see the webhook's delivery).
 */
export type ProcessItem<T> = (item: T, deduplicated: boolean, resumed?: boolean) => Promise<void>;
export type UserOrderFactory = <T>(process: ProcessItem<T>, onDuplicate?: (item: T) => void) => UserOrder<T>;

/** One instance: a promise chain per person. */
export class MemoryUserOrder<T> implements UserOrder<T> {
  /** Tail of each person's chain; removed when it is the last one and has finished. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly inflight = new Set<Promise<void>>();
  /** Events submitted and not finished. */
  private pending = 0;

  constructor(private readonly process: ProcessItem<T>) {}

  /** `deduplicated`: the caller already made sure the event is handled here only (see RedisUserOrder). */
  submit(key: string, _at: number, item: T, _eventId?: string, deduplicated = false): Promise<void> {
    this.pending++;
    const task = () => this.process(item, deduplicated).finally(() => this.pending--);
    const next = (this.chains.get(key) ?? Promise.resolve()).then(task, task);
    this.chains.set(key, next);
    this.track(next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    // Kept in this process's memory: nothing more durable is coming.
    return Promise.resolve();
  }

  async drain(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /** Nothing here survives the process: what is still running is lost with it. */
  async stop(): Promise<{ inRedis: number; local: number }> {
    return { inRedis: 0, local: this.pending };
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
  /** A drainer that dies keeps the person's lock this long at most (a live one extends it while it works). */
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
  /**
   * How long to keep asking Redis where an event went when the command that queued it timed out (it may still run
   * when Redis wakes up), before handling it here anyway. Default 30 s: well inside a reply token's minute.
   */
  doubtWaitMs?: number;
  /** Called instead of processing for an event already seen. */
  onDuplicate?: (item: T) => void;
}

// Each step is one script, so that no step can interleave badly with another instance. An event stays in its
// person's queue (a sorted set by timestamp) until it has been processed: the lock holder reads the head, processes
// it, and removes it in the same script that reads the next one. A holder that dies therefore leaves its event
// where the next holder finds it, marked as started (`resumed`), instead of taking it with it.
//
// Tickets (a hash per person, event id → state) say who has an event: `q` queued, `s|token` started by that
// drainer, `l|token` to be handled outside Redis by the instance that received it. They make every step safe to run
// twice and safe to run late, which is what a Redis that stops answering for a while does to a command that timed
// out in the app: it still runs when Redis wakes up, and ioredis may even send it again after a reconnect.
//   Every script returns [status, head member if TAKEN, 1 if that member was started by another drainer].
const QUEUED = 0;
const BUSY = 1;
const TAKEN = 2;
const EMPTY = 3;
const DUPLICATE = 4;
const LOCAL = 5;
type Step = [number, string?, number?];

/** Take (or keep) the lock and read the head, marking it started by this token; release the lock when empty. */
const TAKE = `local function take(inbox, lock, tickets, token, ms)
  local holder = redis.call('GET', lock)
  if holder ~= token then
    if holder then return {${BUSY}} end
    redis.call('SET', lock, token, 'PX', ms)
  else
    redis.call('PEXPIRE', lock, ms)
  end
  local head = redis.call('ZRANGE', inbox, 0, 0)[1]
  if not head then
    redis.call('DEL', lock)
    return {${EMPTY}}
  end
  local resumed = 0
  local id = string.match(head, '^[^|]*|([^|{][^|]*)|')
  if id then
    local mark = 's|' .. token
    local was = redis.call('HGET', tickets, id)
    if was and string.sub(was, 1, 2) == 's|' and was ~= mark then resumed = 1 end
    redis.call('HSET', tickets, id, mark)
  end
  return {${TAKEN}, head, resumed}
end
`;
/** Marks an event id seen (ARGV positions given), unless it was: true when it was new. */
const SEE = `local function see(seen, id, ttl, now)
  if redis.call('ZSCORE', seen, id) then return false end
  redis.call('ZREMRANGEBYSCORE', seen, '-inf', tonumber(now) - tonumber(ttl) * 1000)
  redis.call('ZADD', seen, now, id)
  redis.call('EXPIRE', seen, ttl)
  return true
end
`;
/**
 * KEYS: queue, lock, seen ids, tickets. ARGV: 1 score, 2 member, 3 queue TTL, 4 take now (1/0), 5 token, 6 lock ms,
 * 7 has an event id (1/0), 8 seen TTL, 9 ticket id, 10 now (ms). Queue the event unless its id was seen — but a
 * second run of this same command (its member already queued) is not a duplicate: it goes on to the lock.
 */
const ENQUEUE = luaScript<Step>(
  `${TAKE}${SEE}if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  if ARGV[7] == '1' and not see(KEYS[3], ARGV[9], ARGV[8], ARGV[10]) then return {${DUPLICATE}} end
  redis.call('HSET', KEYS[4], ARGV[9], 'q')
  redis.call('EXPIRE', KEYS[4], ARGV[3])
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
if ARGV[4] ~= '1' then return {${QUEUED}} end
return take(KEYS[1], KEYS[2], KEYS[4], ARGV[5], ARGV[6])`,
  4,
);
/**
 * After ENQUEUE timed out: where did the event go? KEYS as ENQUEUE. ARGV: 1 token, 2 member, 3 ticket id, 4 has an
 * event id, 5 seen TTL, 6 now, 7 lock ms, 8 queue TTL. Queued (ENQUEUE ran): go on as the queue's drainer. Nowhere:
 * fence it for handling outside Redis (`l|token`), so that the ENQUEUE, should it still run, finds it seen.
 */
const RESOLVE = luaScript<Step>(
  `${TAKE}${SEE}if redis.call('ZSCORE', KEYS[1], ARGV[2]) then return take(KEYS[1], KEYS[2], KEYS[4], ARGV[1], ARGV[7]) end
local t = redis.call('HGET', KEYS[4], ARGV[3])
if t == 'l|' .. ARGV[1] then return {${LOCAL}} end
if t then return {${DUPLICATE}} end
if ARGV[4] == '1' and not see(KEYS[3], ARGV[3], ARGV[5], ARGV[6]) then return {${DUPLICATE}} end
redis.call('HSET', KEYS[4], ARGV[3], 'l|' .. ARGV[1])
redis.call('EXPIRE', KEYS[4], ARGV[8])
return {${LOCAL}}`,
  4,
);
/** KEYS: queue, lock, tickets. ARGV: token, lock ms. Take the lock (or keep it: safe to repeat) and read the head. */
const CLAIM = luaScript<Step>(`${TAKE}return take(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2])`, 3);
/**
 * KEYS: queue, lock, tickets. ARGV: token, lock ms, finished member, its ticket id. The finished event goes whoever
 * holds the lock now; then, while the lock is ours, the next one is read (or the lock released).
 */
const NEXT = luaScript<Step>(
  `${TAKE}redis.call('ZREM', KEYS[1], ARGV[3])
if ARGV[4] ~= '' then redis.call('HDEL', KEYS[3], ARGV[4]) end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {${BUSY}} end
return take(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2])`,
  3,
);
/** KEYS: lock. ARGV: token, ms (0: release). Extends or releases the lock if it is still ours. */
const HOLD = luaScript<number>(
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`,
  1,
);

/**
 * True when ioredis refused the command before sending it (no connection and no offline queue): it can never run,
 * so handling the event here cannot double it. Any other failure (a timeout above all) leaves it in doubt.
 */
const notSent = (err: unknown) => err instanceof Error && err.message.startsWith("Stream isn't writeable");

/** Member of a person's queue: `token|ticket id|JSON`. Members queued before tickets existed are `token|JSON`. */
function parseMember<T>(member: string): { ticket: string; item: T; once: boolean } {
  const first = member.indexOf('|');
  const second = member.indexOf('|', first + 1);
  const old = member[first + 1] === '{' || second < 0;
  const ticket = old ? '' : member.slice(first + 1, second);
  const queued = JSON.parse(member.slice((old ? first : second) + 1)) as { item: T; once: boolean };
  return { ticket, ...queued };
}

/** An event this instance queued, as it was queued. */
type Mine<T> = { token: string; member: string; ticket: string; eventId?: string; at: number; item: T };

const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/**
 * Several instances against one Redis: each person's events go into a sorted set by timestamp, and whichever
 * instance holds the person's lock processes them in order. When Redis cannot be reached, events are processed
 * locally at once (the bot keeps answering; only cross-instance ordering is lost). When Redis is slow or frozen
 * (a command times out but may still run), the event is handled by exactly one path: RESOLVE asks Redis where it
 * went before anything is handled here.
 */
export class RedisUserOrder<T> implements UserOrder<T> {
  private readonly local: MemoryUserOrder<T>;
  private readonly inflight = new Set<Promise<void>>();
  private readonly prefix: string;
  private readonly lockMs: number;
  private readonly settleMs: number;
  private readonly queueTtl: number;
  private readonly eventTtl: number;
  private readonly doubtWaitMs: number;
  /** Persons whose queue this instance is draining, with the lock token. */
  private readonly held = new Map<string, string>();
  /** Events from Redis being processed here, for the shutdown report. */
  private busy = 0;
  /** Tickets of the events this instance has taken from Redis lately (the last 10,000). */
  private readonly doneHere = new Set<string>();
  private stopped = false;

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
    this.doubtWaitMs = opts.doubtWaitMs ?? 30_000;
  }

  private keys = (key: string) => [`${this.prefix}{${key}}:inbox`, `${this.prefix}{${key}}:inbox-lock`];
  private keys3 = (key: string) => [...this.keys(key), `${this.prefix}{${key}}:tickets`];
  private keys4 = (key: string) => [...this.keys(key), redisSeenEventsKey(this.prefix, key), `${this.prefix}{${key}}:tickets`];

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

  submit(key: string, at: number, item: T, eventId?: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    let kept!: () => void;
    const accepted = new Promise<void>((resolve) => (kept = resolve));
    const p = (async () => {
      const { redis } = this.opts;
      // The settle window counts from when the person sent the event: LINE's delivery has usually used it up already,
      // so most events wait not at all, and are queued and taken in one round trip.
      const wait = Math.min(this.settleMs, at + this.settleMs - Date.now());
      const token = randomUUID();
      // Events without an id (LINE always gives one) get a ticket of their own but are never skipped as duplicates.
      const ticket = eventId ?? `t:${token}`;
      const member = `${token}|${ticket}|${JSON.stringify({ item, once: !!eventId })}`;
      // The submitter watches an event with an id until it is done somewhere: should Redis lose it (a restart without
      // persistence), it is handled here instead. Events without an id cannot be told apart from done ones.
      const mine: Mine<T> | undefined = eventId ? { token, member, ticket, eventId, at, item } : undefined;
      let first: Step;
      try {
        first = await ENQUEUE(redis, this.keys4(key), [
          this.score(key, at),
          member,
          this.queueTtl,
          wait > 0 ? 0 : 1,
          token,
          this.lockMs,
          eventId ? 1 : 0,
          this.eventTtl,
          ticket,
          Date.now(),
        ]);
        kept();
      } catch (err) {
        if (notSent(err)) {
          this.opts.logger.warn({ err: (err as Error).message }, 'event queue unavailable; processing locally');
          void this.local.submit(key, at, item);
          return;
        }
        // The command may still run when Redis answers again: handling the event here now could handle it twice.
        this.opts.logger.warn({ err: (err as Error).message }, 'event queue command in doubt; asking Redis where the event went');
        const resolved = await this.persist(() => this.resolve(key, { token, member, ticket, eventId, at, item }));
        if (!resolved) {
          // Redis never answered: answering twice is better than never answering.
          this.opts.logger.error({ waitedMs: this.doubtWaitMs }, 'event queue did not answer; processing locally (the event may be handled twice)');
          void this.local.submit(key, at, item);
          return;
        }
        if (resolved[0] === LOCAL) {
          void this.local.submit(key, at, item, eventId, true);
          return;
        }
        first = resolved;
        kept();
      }
      if (first[0] === DUPLICATE) {
        this.opts.onDuplicate?.(item);
        return;
      }
      if (first[0] === QUEUED) {
        await new Promise((r) => setTimeout(r, wait));
        const claimed = await this.persist(() => CLAIM(redis, this.keys3(key), [token, this.lockMs]));
        if (!claimed) {
          this.scheduleRecheck(key, mine);
          return;
        }
        first = claimed;
      }
      await this.drainFrom(key, token, first, mine);
    })()
      .catch((err: Error) => this.opts.logger.error({ err: err.message }, 'event queue drain failed'))
      // Every way out of the queueing (queued, a duplicate, taken here, failed) ends the wait for it.
      .finally(kept);
    this.track(p);
    return accepted;
  }

  async drain(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
    await this.local.drain();
  }

  /**
   * Shutdown after the drain budget: take nothing more, and release the locks held here so that another instance
   * (or this one restarted) takes the queues over at once. The events being processed stay queued, marked started.
   * Returns what was left unfinished: in Redis (taken over later) and handled locally (lost with this process).
   */
  async stop(): Promise<{ inRedis: number; local: number }> {
    this.stopped = true;
    const left = { inRedis: this.busy, local: (await this.local.stop()).local };
    await Promise.allSettled([...this.held].map(([key, token]) => HOLD(this.opts.redis, [this.keys(key)[1]!], [token, 0])));
    this.held.clear();
    return left;
  }

  /**
   * Finds every person's queue in Redis and drains those nobody holds: at start-up, and every RESCAN_SECONDS, queues
   * left by an instance that died or ran out of its shutdown budget. A queue whose lock is held (a live drainer, or a
   * dead one's lock not yet expired) is left to the next rescan; the lock makes sure only one instance takes it.
   */
  async rescan(): Promise<number> {
    const { redis } = this.opts;
    const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
    const head = `${this.prefix}{`;
    const tail = '}:inbox';
    let found = 0;
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${globEscape(head)}*${globEscape(tail)}`, 'COUNT', 1000);
        cursor = next;
        for (const k of keys) {
          if (!k.startsWith(head) || !k.endsWith(tail)) continue;
          const key = k.slice(head.length, -tail.length);
          if (this.held.has(key)) continue;
          found++;
          this.track(this.takeIfFree(key));
        }
      } while (cursor !== '0' && !this.stopped);
    }
    return found;
  }

  private async takeIfFree(key: string): Promise<void> {
    if (this.stopped) return;
    const token = randomUUID();
    const first = await CLAIM(this.opts.redis, this.keys3(key), [token, this.lockMs]).catch(() => undefined);
    if (first && first[0] !== BUSY) await this.drainFrom(key, token, first);
  }

  /**
   * Processes the queue's head while the lock is ours; `BUSY` means another instance is draining this person. With
   * `mine` (an event this instance queued), makes sure it gets done: if the loop ends without it, Redis is asked.
   */
  private async drainFrom(key: string, token: string, first: Step, mine?: Mine<T>): Promise<void> {
    let step = first;
    let mineDone = false;
    try {
      while (step[0] === TAKEN && step[1] !== undefined && !this.stopped) {
        const member = step[1];
        this.held.set(key, token);
        let ticket = '';
        // Keep the lock while the event takes long (a slow LINE): another drainer must not take it meanwhile.
        const beat = setInterval(() => void HOLD(this.opts.redis, [this.keys(key)[1]!], [token, this.lockMs]).catch(() => undefined), this.lockMs / 3);
        beat.unref();
        this.busy++;
        try {
          const queued = parseMember<T>(member);
          ticket = queued.ticket;
          if (mine && ticket === mine.ticket) mineDone = true;
          this.doneHere.add(ticket);
          if (this.doneHere.size > 10_000) this.doneHere.delete(this.doneHere.values().next().value!);
          await this.process(queued.item, queued.once, step[2] === 1);
        } catch (err) {
          // One event failing must not strand the person's later ones.
          this.opts.logger.error({ err: (err as Error).message }, 'queued event failed');
        } finally {
          this.busy--;
          clearInterval(beat);
        }
        if (this.stopped) {
          // Finished after all: take it out of the queue (an empty token never holds the lock, so nothing more is read).
          await NEXT(this.opts.redis, this.keys3(key), ['', this.lockMs, member, ticket]).catch(() => undefined);
          return;
        }
        const next = await this.persist(() => NEXT(this.opts.redis, this.keys3(key), [token, this.lockMs, member, ticket]));
        if (!next) {
          this.scheduleRecheck(key, mineDone ? undefined : mine);
          return;
        }
        step = next;
      }
    } finally {
      if (this.held.get(key) === token) this.held.delete(key);
    }
    const watching = mineDone ? undefined : mine;
    if (step[0] === BUSY) this.scheduleRecheck(key, watching);
    else if (watching && !this.stopped) await this.watch(key, watching);
  }

  /** RESOLVE for an event this instance queued (see the script). */
  private resolve(key: string, m: Mine<T>): Promise<Step> {
    return RESOLVE(this.opts.redis, this.keys4(key), [m.token, m.member, m.ticket, m.eventId ? 1 : 0, this.eventTtl, Date.now(), this.lockMs, this.queueTtl]);
  }

  /** Where is an event this instance queued and has not seen done? Still queued: drain or wait; gone unseen: here. */
  private async watch(key: string, mine: Mine<T>): Promise<void> {
    // Taken here already (by another of this person's submissions): a Redis that lost everything since cannot say so.
    // Taken by another instance just before Redis lost everything is the one case this cannot tell: it is handled
    // again here (answered twice rather than possibly never).
    if (this.doneHere.has(mine.ticket)) return;
    const where = await this.persist(() => this.resolve(key, mine));
    if (!where) return this.scheduleRecheck(key, mine);
    if (where[0] === DUPLICATE) return; // done (its id is seen, its ticket gone)
    if (where[0] === LOCAL) {
      this.opts.logger.warn({}, 'queued event lost by Redis (restarted?); processing locally');
      this.local.submit(key, mine.at, mine.item, mine.eventId, true);
      return;
    }
    await this.drainFrom(key, mine.token, where, mine);
  }

  /** The other instance will see our event. Should it die, look again once its lock expires. */
  private scheduleRecheck(key: string, mine?: Mine<T>): void {
    if (this.stopped) return;
    const retry = setTimeout(() => this.track(mine ? this.watch(key, mine) : this.recheck(key)), this.lockMs + 100);
    retry.unref();
  }

  private async recheck(key: string): Promise<void> {
    if (this.stopped) return;
    const token = randomUUID();
    const first = await this.persist(() => CLAIM(this.opts.redis, this.keys3(key), [token, this.lockMs]));
    // Redis still away: look again later (the queue expires by itself if nobody ever can).
    if (!first) this.scheduleRecheck(key);
    else await this.drainFrom(key, token, first);
  }

  /**
   * Runs a step that is safe to repeat until Redis answers, backing off, for at most `doubtWaitMs`; undefined if it
   * never did (the step may still run later, which each script allows for).
   */
  private async persist(step: () => Promise<Step>): Promise<Step | undefined> {
    const until = Date.now() + this.doubtWaitMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
      try {
        return await step();
      } catch (err) {
        if (Date.now() + delay > until || this.stopped) {
          this.opts.logger.warn({ err: (err as Error).message }, 'event queue step failed');
          return undefined;
        }
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private track(p: Promise<void>) {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }
}
