import { parseStored } from './stored-json.js';
import { appendToStream } from './streams.js';
import { ChannelSubscription } from './channel-subscription.js';
import type { RedisClient } from './redis-client.js';
import type { Logger } from '../../app/log.js';
import type { HandoffEvents, HandoffStore, TranscriptStore } from '../../app/handoff/handoff-store.js';
import { Handoff, TranscriptEntry, type HandoffEvent, type HandoffStatus, type NewTranscriptEntry } from '../../app/handoff/types.js';

export interface RedisHandoffOptions {
  redis: RedisClient;
  prefix?: string;
  /** Records, pointers and transcripts expire this long after their last write. */
  retentionSeconds: number;
  logger?: Logger;
}

/**
 * Every key of the handoff index — records, per-user pointers, the open and closed lists — carries one hash tag, so
 * the scripts below, which touch several of them at once, run in one slot of a Redis Cluster. Handoffs are few,
 * so one slot holds them comfortably. Transcripts are kept per person instead, under the person's own tag.
 */
const HANDOFF_TAG = '{ho}';
export const handoffKey = (prefix: string, id: string) => `${prefix}${HANDOFF_TAG}:${id}`;
export const handoffUserKey = (prefix: string, userId: string) => `${prefix}${HANDOFF_TAG}:user:${userId}`;

// A user may have one open handoff: the pointer key doubles as the lock.
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[4])
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('EXPIRE', KEYS[3], ARGV[4])
return 1`;

// Compare-and-set on status, so two instances or two staff members cannot both claim or close.
const UPDATE = `
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local h = cjson.decode(raw)
local allowed = false
for s in string.gmatch(ARGV[1], '[^,]+') do if h.status == s then allowed = true end end
if not allowed then return false end
for k, v in pairs(cjson.decode(ARGV[2])) do h[k] = v end
local out = cjson.encode(h)
redis.call('SET', KEYS[1], out, 'EX', ARGV[3])
-- The user pointer is known only from the record; its key carries the same {ho} hash tag (one cluster slot).
local ptr = ARGV[4] .. h.userId
if h.status == 'closed' then
  if redis.call('GET', ptr) == ARGV[5] then redis.call('DEL', ptr) end
  redis.call('ZREM', KEYS[2], ARGV[5])
  redis.call('ZADD', KEYS[3], h.closedAt or 0, ARGV[5])
  redis.call('EXPIRE', KEYS[3], ARGV[3])
else
  redis.call('EXPIRE', ptr, ARGV[3])
end
return out`;

export class RedisHandoffStore implements HandoffStore {
  private readonly redis: RedisClient;
  private readonly prefix: string;
  private readonly ttl: number;

  constructor(private readonly opts: RedisHandoffOptions) {
    this.redis = opts.redis;
    this.prefix = opts.prefix ?? 'kc:';
    this.ttl = opts.retentionSeconds;
  }

  private key = (id: string) => handoffKey(this.prefix, id);
  private userKey = (userId: string) => handoffUserKey(this.prefix, userId);
  private get openKey() {
    return `${this.prefix}${HANDOFF_TAG}:open`;
  }
  private get closedKey() {
    return `${this.prefix}${HANDOFF_TAG}:closed`;
  }

  async create(handoff: Handoff): Promise<boolean> {
    const created = await this.redis.eval(
      CREATE,
      3,
      this.userKey(handoff.userId),
      this.key(handoff.id),
      this.openKey,
      handoff.id,
      JSON.stringify(handoff),
      handoff.openedAt,
      this.ttl,
    );
    return created === 1;
  }

  async get(id: string): Promise<Handoff | undefined> {
    return this.parse(await this.redis.get(this.key(id)));
  }

  async openFor(userId: string): Promise<Handoff | undefined> {
    const id = await this.redis.get(this.userKey(userId));
    if (!id) return undefined;
    const h = await this.get(id);
    return h && h.status !== 'closed' ? h : undefined;
  }

  async update(id: string, from: readonly HandoffStatus[], patch: Partial<Handoff>): Promise<Handoff | undefined> {
    const out = (await this.redis.eval(
      UPDATE,
      3,
      this.key(id),
      this.openKey,
      this.closedKey,
      from.join(','),
      JSON.stringify(patch),
      this.ttl,
      handoffUserKey(this.prefix, ''),
      id,
    )) as string | null;
    return this.parse(out);
  }

  async listOpen(): Promise<Handoff[]> {
    const ids = await this.redis.zrange(this.openKey, 0, -1);
    const found = await this.many(ids);
    const gone = ids.filter((id, i) => !found[i] || found[i].status === 'closed');
    if (gone.length) await this.redis.zrem(this.openKey, ...gone);
    return found.filter((h): h is Handoff => !!h && h.status !== 'closed');
  }

  async listClosed(limit: number): Promise<Handoff[]> {
    await this.redis.zremrangebyscore(this.closedKey, '-inf', Date.now() - this.ttl * 1000);
    const ids = await this.redis.zrevrange(this.closedKey, 0, Math.max(0, limit - 1));
    return (await this.many(ids)).filter((h): h is Handoff => !!h);
  }

  async eraseUser(userId: string): Promise<string[]> {
    // Handoffs are few (one slot, kept for the retention period): reading them all is cheaper than an index to keep.
    const ids = [...new Set([...(await this.redis.zrange(this.openKey, 0, -1)), ...(await this.redis.zrange(this.closedKey, 0, -1))])];
    const raws = ids.length ? await this.redis.mget(...ids.map(this.key)) : [];
    const mine = ids.filter((_, i) => this.parse(raws[i])?.userId === userId);
    const pipeline = this.redis.multi();
    pipeline.del(this.userKey(userId));
    for (const id of mine) pipeline.del(this.key(id)).zrem(this.openKey, id).zrem(this.closedKey, id);
    await pipeline.exec();
    return mine;
  }

  private async many(ids: string[]): Promise<(Handoff | undefined)[]> {
    if (!ids.length) return [];
    const raws = await this.redis.mget(...ids.map(this.key));
    return raws.map((r) => this.parse(r));
  }

  private parse(raw: string | null | undefined): Handoff | undefined {
    if (!raw) return undefined;
    const handoff = parseStored(Handoff, raw);
    if (handoff) return handoff;
    this.opts.logger?.warn({ store: 'redis', problem: 'invalid_handoff' }, 'stored handoff record is unreadable; ignoring it');
    return undefined;
  }
}

export class RedisTranscriptStore implements TranscriptStore {
  private readonly redis: RedisClient;
  private readonly prefix: string;
  private readonly ttl: number;

  constructor(opts: RedisHandoffOptions) {
    this.redis = opts.redis;
    this.prefix = opts.prefix ?? 'kc:';
    this.ttl = opts.retentionSeconds;
  }

  /** Next to the conversation state key, in the same hash slot. */
  private key = (userId: string) => `${this.prefix}{${userId}}:log`;

  async append(userId: string, entry: NewTranscriptEntry): Promise<string> {
    return appendToStream(this.redis, this.key(userId), 'e', JSON.stringify(entry), this.ttl);
  }

  async list(userId: string, limit = 500): Promise<TranscriptEntry[]> {
    const rows = await this.redis.xrevrange(this.key(userId), '+', '-', 'COUNT', limit);
    const cutoff = Date.now() - this.ttl * 1000;
    return rows.reverse().flatMap(([id, fields]) => {
      const parsed = TranscriptEntry.safeParse({ ...JSON.parse(fields[1] ?? '{}'), id });
      return parsed.success && parsed.data.at > cutoff ? [parsed.data] : [];
    });
  }

  async removeMessage(userId: string, messageId: string): Promise<number> {
    const rows = await this.redis.xrange(this.key(userId), '-', '+');
    const ids = rows.filter(([, fields]) => (JSON.parse(fields[1] ?? '{}') as { messageId?: string }).messageId === messageId).map(([id]) => id);
    return ids.length ? this.redis.xdel(this.key(userId), ...ids) : 0;
  }

  async erase(userId: string): Promise<void> {
    await this.redis.del(this.key(userId));
  }
}

/** Pub/sub across instances, on a connection of its own made on first use. */
export class RedisHandoffEvents implements HandoffEvents {
  private subscription: ChannelSubscription | undefined;
  private readonly listeners = new Set<(event: HandoffEvent) => void>();
  private readonly resubscribed = new Set<() => void>();
  private readonly channel: string;

  constructor(private readonly opts: RedisHandoffOptions) {
    this.channel = `${opts.prefix ?? 'kc:'}ho:events`;
  }

  async publish(event: HandoffEvent): Promise<void> {
    await this.opts.redis.publish(this.channel, JSON.stringify(event));
  }

  subscribe(listener: (event: HandoffEvent) => void): () => void {
    this.subscription ??= new ChannelSubscription({
      redis: this.opts.redis,
      channel: this.channel,
      what: 'handoff events',
      logger: this.opts.logger,
      onMessage: (message) => {
        let event: HandoffEvent;
        try {
          event = JSON.parse(message) as HandoffEvent;
        } catch {
          return;
        }
        for (const l of this.listeners) l(event);
      },
      onResubscribed: () => {
        for (const l of this.resubscribed) l();
      },
    });
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onResubscribed(listener: () => void): () => void {
    this.resubscribed.add(listener);
    return () => this.resubscribed.delete(listener);
  }

  async ready(): Promise<void> {
    await this.subscription?.ready();
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.resubscribed.clear();
    const sub = this.subscription;
    this.subscription = undefined;
    await sub?.close();
  }
}
