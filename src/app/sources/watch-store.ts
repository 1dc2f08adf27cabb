import { z } from 'zod';

/**
 * What the source watch last found at one page. `unchanged`: 304, or the same content hash; `changed`: a new hash;
 * `moved`: a redirect (`location` says where); `unreachable`: an error, a timeout or a 4xx/5xx answer.
 */
export const WATCH_STATUSES = ['unchanged', 'changed', 'moved', 'unreachable'] as const;
export type WatchStatus = (typeof WATCH_STATUSES)[number];

export const WatchRecord = z.object({
  url: z.string(),
  status: z.enum(WATCH_STATUSES),
  /** When the page was last fetched (ms). */
  at: z.number(),
  httpStatus: z.number().optional(),
  /** SHA-256 of the body, hex: what "changed" is measured against. */
  hash: z.string().optional(),
  /** The validators for the next conditional request. */
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  /** Where a redirect points (absolute URL). */
  location: z.string().optional(),
  /** Why it could not be read: 「HTTP 500」「timeout」「ECONNRESET」 (never the body). */
  error: z.string().optional(),
  /**
   * When the content was first seen different from what a person last confirmed (kept through later 304s until
   * someone confirms): a change is never lost because the page answered "not modified" the next day.
   */
  changedAt: z.number().optional(),
  /** The last 「確認した（内容は今も正しい）」: when and by whom (console username). */
  confirmedAt: z.number().optional(),
  confirmedBy: z.string().optional(),
});
export type WatchRecord = z.infer<typeof WatchRecord>;

/**
 * Whether staff should look at the page: its content changed since someone last confirmed it, or the last look found
 * it moved or unreachable and nobody has confirmed it since (a page still moved the next day is listed again: its
 * URL wants fixing in the knowledge base).
 */
export const needsLook = (r: WatchRecord): boolean =>
  r.changedAt !== undefined || ((r.status === 'moved' || r.status === 'unreachable') && !(r.confirmedAt !== undefined && r.confirmedAt >= r.at));

export interface WatchStore {
  /** Every record kept (within the retention period). */
  all(): Promise<Map<string, WatchRecord>>;
  put(records: WatchRecord[]): Promise<void>;
  /** Drops the records of pages the knowledge base no longer cites. */
  keepOnly(urls: ReadonlySet<string>): Promise<void>;
  /** When a watch run last finished (any instance), or undefined. */
  lastRunAt(): Promise<number | undefined>;
  setLastRunAt(at: number): Promise<void>;
  /** A person confirmed the knowledge base still matches the page: the pending change is cleared. */
  confirm(url: string, by: string, at: number): Promise<void>;
}

/** The lock that keeps one watch run at a time across instances; `run` is skipped (undefined) when it is held. */
export interface JobLock {
  run<T>(fn: () => Promise<T>): Promise<T | undefined>;
}

/** One process: the watch store and its lock in memory (no Redis: one instance only). */
export class MemoryWatchStore implements WatchStore {
  private readonly records = new Map<string, WatchRecord>();
  private last: number | undefined;
  constructor(
    private readonly retentionMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async all() {
    const cutoff = this.now() - this.retentionMs;
    for (const [url, r] of this.records) if (r.at < cutoff) this.records.delete(url);
    return new Map(this.records);
  }
  async put(records: WatchRecord[]) {
    for (const r of records) this.records.set(r.url, r);
  }
  async keepOnly(urls: ReadonlySet<string>) {
    for (const url of this.records.keys()) if (!urls.has(url)) this.records.delete(url);
  }
  async lastRunAt() {
    return this.last;
  }
  async setLastRunAt(at: number) {
    this.last = at;
  }
  async confirm(url: string, by: string, at: number) {
    const r = this.records.get(url);
    if (!r) return;
    const { changedAt: _cleared, ...rest } = r;
    this.records.set(url, { ...rest, confirmedAt: at, confirmedBy: by });
  }
}

export class MemoryJobLock implements JobLock {
  private held = false;
  async run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (this.held) return undefined;
    this.held = true;
    try {
      return await fn();
    } finally {
      this.held = false;
    }
  }
}
