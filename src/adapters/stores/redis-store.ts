import type { RedisClient } from './redis-client.js';
import { ConversationState } from '../../core/conversation/types.js';
import type { Logger } from '../../app/log.js';
import { StoredTurn, type AppliedTurn } from '../../app/conversation/state-store.js';
import type { StateStore } from './state-store.js';
import { luaScript } from './lua-script.js';
import { parseStored } from './stored-json.js';

export interface RedisStateStoreOptions {
  /** A connected (or connecting) ioredis client. The store owns it: close() quits it. */
  redis: RedisClient;
  /** How long a conversation is kept after its last write (SET … EX). */
  ttlSeconds: number;
  /** How long an event id is remembered for duplicate detection. */
  eventTtlSeconds?: number;
  /** Prepended to every key, e.g. 'kc:' or a per-test prefix. */
  prefix?: string;
  /** Optional; used only to report unreadable stored values (never the value itself). */
  logger?: Logger;
  /** How long ready() waits for PING before answering false. */
  readyTimeoutMs?: number;
}

function positiveSeconds(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * The key holding one user's conversation. The user id sits in a hash tag ({…}) so that, under Redis Cluster,
 * every key of one user maps to the same slot and could be used together in a transaction or script.
 */
export function redisStateKey(prefix: string, userId: string): string {
  return `${prefix}{${userId}}:state`;
}

/** Event ids of one person's recent webhook events (the per-person queue skips one it has seen); deleted with the state. */
export function redisSeenEventsKey(prefix: string, userId: string): string {
  return `${prefix}{${userId}}:seen`;
}

/** What the person's latest handled event was answered (see AppliedTurn); beside the state, deleted with it. */
export function redisTurnKey(prefix: string, userId: string): string {
  return `${prefix}{${userId}}:turn`;
}

/** KEYS: state, turn. ARGV: state JSON, turn JSON, TTL. Both or neither: an event is applied exactly when its state is stored. */
const SET_WITH_TURN = luaScript<string>(
  `redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])`,
  2,
);

export function redisEventKey(prefix: string, eventId: string): string {
  return `${prefix}evt:${eventId}`;
}

/** Conversation state in Redis, shared by every instance and kept across restarts until its TTL runs out. */
export class RedisStateStore implements StateStore {
  readonly kind = 'redis' as const;
  private readonly redis: RedisClient;
  private readonly ttlSeconds: number;
  private readonly eventTtlSeconds: number;
  private readonly prefix: string;
  private readonly logger: Logger | undefined;
  private readonly readyTimeoutMs: number;
  private closed = false;

  constructor({ redis, ttlSeconds, eventTtlSeconds = 86_400, prefix = 'kc:', logger, readyTimeoutMs = 2000 }: RedisStateStoreOptions) {
    this.redis = redis;
    this.ttlSeconds = positiveSeconds('ttlSeconds', ttlSeconds);
    this.eventTtlSeconds = positiveSeconds('eventTtlSeconds', eventTtlSeconds);
    this.prefix = prefix;
    this.logger = logger;
    this.readyTimeoutMs = readyTimeoutMs;
  }

  async get(userId: string): Promise<ConversationState | undefined> {
    this.assertOpen();
    const raw = await this.redis.get(redisStateKey(this.prefix, userId));
    if (raw === null) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      // The value may hold what a parent wrote: report only that it was unreadable.
      this.logger?.warn({ store: 'redis', problem: 'invalid_json' }, 'stored conversation state is not JSON; starting afresh');
      return undefined;
    }
    const parsed = ConversationState.safeParse(json);
    if (!parsed.success) {
      this.logger?.warn({ store: 'redis', problem: 'invalid_state' }, 'stored conversation state does not match the schema; starting afresh');
      return undefined;
    }
    return parsed.data;
  }

  async set(userId: string, state: ConversationState, turn?: AppliedTurn): Promise<void> {
    this.assertOpen();
    const key = redisStateKey(this.prefix, userId);
    if (!turn) await this.redis.set(key, JSON.stringify(state), 'EX', this.ttlSeconds);
    else await SET_WITH_TURN(this.redis, [key, redisTurnKey(this.prefix, userId)], [JSON.stringify(state), JSON.stringify(turn), this.ttlSeconds]);
  }

  async recordTurn(userId: string, turn: AppliedTurn): Promise<void> {
    this.assertOpen();
    await this.redis.set(redisTurnKey(this.prefix, userId), JSON.stringify(turn), 'EX', this.ttlSeconds);
  }

  async appliedTurn(userId: string, eventId: string): Promise<AppliedTurn | undefined> {
    this.assertOpen();
    const turn = parseStored(StoredTurn, await this.redis.get(redisTurnKey(this.prefix, userId)));
    return turn?.eventId === eventId ? turn : undefined;
  }

  async delete(userId: string): Promise<void> {
    this.assertOpen();
    // Same hash tag, so one command also under a cluster.
    await this.redis.del(redisStateKey(this.prefix, userId), redisSeenEventsKey(this.prefix, userId), redisTurnKey(this.prefix, userId));
  }

  async markEvent(eventId: string): Promise<boolean> {
    this.assertOpen();
    const result = await this.redis.set(redisEventKey(this.prefix, eventId), '1', 'EX', this.eventTtlSeconds, 'NX');
    return result === 'OK';
  }

  async ready(): Promise<boolean> {
    if (this.closed || this.redis.status === 'end' || this.redis.status === 'close') return false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.readyTimeoutMs);
    });
    try {
      const pong = this.redis.ping().then(
        (reply) => reply === 'PONG',
        () => false,
      );
      return await Promise.race([pong, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.redis.status === 'end') return;
    if (this.redis.status !== 'ready') {
      // Not connected: nothing to flush, and QUIT could wait in the offline queue. Stop reconnecting instead.
      this.redis.disconnect();
      return;
    }
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('RedisStateStore is closed');
  }
}
