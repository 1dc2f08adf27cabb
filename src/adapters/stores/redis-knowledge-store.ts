import { createHash } from 'node:crypto';
import type { RedisClient as Redis } from './redis-client.js';
import { z } from 'zod';
import type { Logger } from '../../app/log.js';
import type { KnowledgeFiles } from '../../core/knowledge/files.js';
import { ChannelSubscription } from './channel-subscription.js';
import { VersionedStore, type CommitMeta, type KnowledgeVersion, type PublishOutcome, type VersionMeta } from '../../app/publishing/store.js';

export interface RedisKnowledgeStoreOptions {
  /** The shared client (not closed here); announcements use a duplicate of it. */
  redis: Redis;
  prefix?: string;
  logger?: Logger;
  now?: () => number;
}

// Compare-and-set of the current version: the number, the manifest, the metadata and the announcement happen
// together or not at all. KEYS: current, seq. ARGV: expected, manifest key stem, manifest, meta key stem, meta, channel.
const COMMIT = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if cur ~= tonumber(ARGV[1]) then return {0, cur} end
local n = redis.call('INCR', KEYS[2])
redis.call('SET', ARGV[2] .. n, ARGV[3])
redis.call('SET', ARGV[4] .. n, ARGV[5])
redis.call('SET', KEYS[1], n)
redis.call('PUBLISH', ARGV[6], n)
return {1, n}
`;

const Meta = z.object({
  author: z.string(),
  at: z.number(),
  message: z.string(),
  summary: z.string(),
  rollbackOf: z.number().int().positive().optional(),
});
const Manifest = z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/));

/**
 * Versions in Redis, shared by every instance. File texts are stored once per content (keyed by SHA-256), so a
 * version that changes one entry adds one small text, not a copy of the whole knowledge base. Nothing expires.
 */
export class RedisKnowledgeStore extends VersionedStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly p: string;
  private subscription: ChannelSubscription | undefined;
  private readonly listeners = new Set<(n: number) => void>();

  constructor(private readonly opts: RedisKnowledgeStoreOptions) {
    super(opts.now);
    this.redis = opts.redis;
    // One hash tag for every knowledge-base key: the publish script and MGETs work on Redis Cluster too.
    this.p = `${opts.prefix ?? 'kc:'}{kb}:`;
  }

  private get channel() {
    return `${this.p}live`;
  }

  async current() {
    const v = await this.redis.get(`${this.p}current`);
    return v ? Number(v) : undefined;
  }

  async get(n: number): Promise<KnowledgeVersion | undefined> {
    if (!Number.isSafeInteger(n) || n < 1) return undefined;
    const [meta, manifest] = await this.redis.mget(`${this.p}meta:${n}`, `${this.p}files:${n}`);
    if (!meta || !manifest) return undefined;
    const m = Meta.parse(JSON.parse(meta));
    const paths = Manifest.parse(JSON.parse(manifest));
    const entries = Object.entries(paths);
    const texts = entries.length ? await this.redis.mget(...entries.map(([, h]) => `${this.p}blob:${h}`)) : [];
    const files: Record<string, string> = {};
    entries.forEach(([path], i) => {
      const t = texts[i];
      if (t === null || t === undefined) throw new Error(`knowledge-base version ${n} is missing the text of ${path}`);
      files[path] = t;
    });
    return { n, ...m, files };
  }

  async list(limit = 50): Promise<VersionMeta[]> {
    const last = Number((await this.redis.get(`${this.p}seq`)) ?? 0);
    const ns = Array.from({ length: Math.min(limit, last) }, (_, i) => last - i);
    if (!ns.length) return [];
    const metas = await this.redis.mget(...ns.map((n) => `${this.p}meta:${n}`));
    return ns.flatMap((n, i) => (metas[i] ? [{ n, ...Meta.parse(JSON.parse(metas[i]!)) }] : []));
  }

  protected async commit(expected: number, files: KnowledgeFiles, meta: CommitMeta): Promise<PublishOutcome> {
    const manifest: Record<string, string> = {};
    const blobs = this.redis.pipeline();
    for (const [path, text] of Object.entries(files)) {
      const hash = createHash('sha256').update(text).digest('hex');
      manifest[path] = hash;
      blobs.set(`${this.p}blob:${hash}`, text, 'NX');
    }
    // Texts first: a version becomes visible only once everything it points at exists.
    await blobs.exec();
    const [ok, n] = (await this.redis.eval(
      COMMIT,
      2,
      `${this.p}current`,
      `${this.p}seq`,
      String(expected),
      `${this.p}files:`,
      JSON.stringify(manifest),
      `${this.p}meta:`,
      JSON.stringify(meta),
      this.channel,
    )) as [number, number];
    if (!ok) return { ok: false, reason: 'stale', current: n || undefined };
    return { ok: true, version: { n, ...meta } };
  }

  watch(listener: (n: number) => void) {
    this.subscription ??= new ChannelSubscription({
      redis: this.redis,
      channel: this.channel,
      what: 'knowledge-base announcements',
      logger: this.opts.logger,
      onMessage: (message) => {
        const n = Number(message);
        if (Number.isSafeInteger(n) && n > 0) for (const l of this.listeners) l(n);
      },
      // A publish announced while the connection was away is found by reading the current version again.
      onResubscribed: () => {
        void this.current().then(
          (n) => {
            if (n) for (const l of this.listeners) l(n);
          },
          () => undefined,
        );
      },
    });
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async ready() {
    await this.subscription?.ready();
  }

  async close() {
    this.listeners.clear();
    const sub = this.subscription;
    this.subscription = undefined;
    await sub?.close();
  }
}
