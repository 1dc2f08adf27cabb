import { createHash } from 'node:crypto';
import type { Logger } from '../log.js';
import type { JobLock, WatchRecord, WatchStatus, WatchStore } from './watch-store.js';

export interface SourceWatchOptions {
  store: WatchStore;
  lock: JobLock;
  /** The pages to fetch: every source URL of the live knowledge base (citedSources). */
  urls: () => string[];
  /** Per request, headers and body together. */
  timeoutMs?: number;
  /** Pages fetched at once: city sites are small servers, and many sources are on the same one. */
  concurrency?: number;
  userAgent?: string;
  /** Bodies beyond this are cut (hashed as far as read): a page is not a download. */
  maxBytes?: number;
  fetch?: typeof fetch;
  logger?: Logger;
  now?: () => number;
}

export interface WatchRun {
  /** false: another instance held the lock, or the last run was recent enough. */
  ran: boolean;
  counts: Record<WatchStatus, number>;
  ms: number;
}

export const DEFAULT_WATCH_USER_AGENT = 'KasaokaKosodateConcierge-SourceWatch/1.0 (checks the pages its answers cite, about once a day)';

/**
 * Fetches every page the knowledge base cites and records what became of it since the last look: the same (304 or
 * the same hash), changed, moved (a redirect, not followed) or unreachable. Conditional requests (If-None-Match /
 * If-Modified-Since) keep repeated runs cheap for the city's servers. One run at a time across instances (the lock),
 * and at most one per interval however many instances tick (the last run's time is shared).
 */
export class SourceWatch {
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly userAgent: string;
  private readonly maxBytes: number;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly opts: SourceWatchOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    this.userAgent = opts.userAgent ?? DEFAULT_WATCH_USER_AGENT;
    this.maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.now = opts.now ?? Date.now;
  }

  /**
   * One run, if no other instance is running one and none finished within `minGapMs` (0: regardless). Records every
   * page's result, and drops the records of pages no longer cited.
   */
  async runOnce({ minGapMs = 0 }: { minGapMs?: number } = {}): Promise<WatchRun> {
    const t0 = performance.now();
    const counts: Record<WatchStatus, number> = { unchanged: 0, changed: 0, moved: 0, unreachable: 0 };
    const done = await this.opts.lock.run(async () => {
      const last = await this.opts.store.lastRunAt();
      if (minGapMs > 0 && last !== undefined && this.now() - last < minGapMs) return false;
      const urls = [...new Set(this.opts.urls())];
      const before = await this.opts.store.all();
      const results: WatchRecord[] = [];
      let next = 0;
      const worker = async () => {
        while (next < urls.length) {
          const url = urls[next++]!;
          const r = await this.check(url, before.get(url));
          counts[r.status]++;
          results.push(r);
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, urls.length) }, worker));
      await this.opts.store.put(results);
      await this.opts.store.keepOnly(new Set(urls));
      await this.opts.store.setLastRunAt(this.now());
      return true;
    });
    const run = { ran: done === true, counts, ms: Math.round(performance.now() - t0) };
    if (run.ran) this.opts.logger?.info({ sourceWatch: 'run', ...counts, ms: run.ms }, 'source pages checked');
    return run;
  }

  /** One page: a conditional GET without following redirects, compared with what was recorded last time. */
  async check(url: string, prev: WatchRecord | undefined): Promise<WatchRecord> {
    const at = this.now();
    const kept = {
      ...(prev?.changedAt !== undefined ? { changedAt: prev.changedAt } : {}),
      ...(prev?.confirmedAt !== undefined ? { confirmedAt: prev.confirmedAt, confirmedBy: prev.confirmedBy } : {}),
    };
    const validators = {
      ...(prev?.hash ? { hash: prev.hash } : {}),
      ...(prev?.etag ? { etag: prev.etag } : {}),
      ...(prev?.lastModified ? { lastModified: prev.lastModified } : {}),
    };
    const headers: Record<string, string> = { 'user-agent': this.userAgent, accept: 'text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8' };
    if (prev?.etag) headers['if-none-match'] = prev.etag;
    if (prev?.lastModified) headers['if-modified-since'] = prev.lastModified;
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const res = await this.fetch(url, { headers, redirect: 'manual', signal });
      const httpStatus = res.status;
      if (httpStatus === 304) {
        await res.body?.cancel().catch(() => undefined);
        return { url, status: 'unchanged', at, httpStatus, ...validators, ...kept };
      }
      if (httpStatus >= 300 && httpStatus < 400) {
        await res.body?.cancel().catch(() => undefined);
        const loc = res.headers.get('location');
        let location: string | undefined;
        try {
          location = loc ? new URL(loc, url).toString() : undefined;
        } catch {
          location = undefined;
        }
        return { url, status: 'moved', at, httpStatus, ...(location ? { location } : {}), ...validators, ...kept };
      }
      if (httpStatus >= 400) {
        await res.body?.cancel().catch(() => undefined);
        return { url, status: 'unreachable', at, httpStatus, error: `HTTP ${httpStatus}`, ...validators, ...kept };
      }
      const hash = await this.hashBody(res);
      const etag = res.headers.get('etag') ?? undefined;
      const lastModified = res.headers.get('last-modified') ?? undefined;
      const fresh = { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
      // The first look only records the page: there is nothing to compare it with yet.
      if (!prev?.hash || prev.hash === hash) return { url, status: 'unchanged', at, httpStatus, hash, ...fresh, ...kept };
      return { url, status: 'changed', at, httpStatus, hash, ...fresh, ...kept, changedAt: prev.changedAt ?? at };
    } catch (err) {
      return { url, status: 'unreachable', at, error: describeError(err, signal), ...validators, ...kept };
    }
  }

  private async hashBody(res: Response): Promise<string> {
    const chunks: Uint8Array[] = [];
    let read = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        chunks.push(value);
        read += value.byteLength;
        if (read >= this.maxBytes) {
          await reader.cancel().catch(() => undefined);
          break;
        }
      }
    }
    const bytes = Buffer.concat(chunks);
    const html = /html/i.test(res.headers.get('content-type') ?? '');
    return createHash('sha256')
      .update(html ? pageText(bytes) : bytes)
      .digest('hex');
  }

  /**
   * Ticks every `tickMs` (default: a quarter of the interval, at most an hour) and runs when the last run, on any
   * instance, is at least `intervalMs` old. The first tick comes after a short delay, not at start-up.
   */
  start(intervalMs: number, { tickMs, firstAfterMs = 60_000 }: { tickMs?: number; firstAfterMs?: number } = {}): void {
    this.stop();
    const tick = () => {
      if (this.running) return;
      this.running = this.runOnce({ minGapMs: intervalMs })
        .catch((err: Error) => this.opts.logger?.warn({ sourceWatch: 'run', err: err.message }, 'source watch run failed'))
        .finally(() => (this.running = undefined));
    };
    const every = tickMs ?? Math.min(intervalMs / 4, 3_600_000);
    const first = setTimeout(() => {
      tick();
      this.timer = setInterval(tick, every);
      this.timer.unref();
    }, firstAfterMs);
    first.unref();
    this.timer = first;
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

/**
 * What of an HTML page is compared: scripts, styles, comments and hidden form fields differ on every load of many CMS
 * pages (nonces, CSRF tokens, analytics) without the page saying anything new; whitespace is layout. What is left is
 * what a reader sees (and the links), so a change means the page's words changed.
 */
export function pageText(bytes: Buffer): string {
  return (
    bytes
      .toString('latin1')
      .replace(/<script\b[\s\S]*?<\/script>|<style\b[\s\S]*?<\/style>|<!--[\s\S]*?-->|<input\b[^>]*type=["']?hidden[^>]*>|<meta\b[^>]*>/gi, '')
      .replace(/\s+/g, ' ')
      // Whitespace beside a tag is layout too, whether there is any or not (「<body> <form>」 and 「<body><form>」).
      .replace(/ ?(<[^>]*>) ?/g, '$1')
      .trim()
  );
}

function describeError(err: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'timeout';
  const e = err as { cause?: { code?: string; message?: string }; message?: string; name?: string };
  return (e.cause?.code ?? e.cause?.message ?? e.message ?? String(err)).slice(0, 120);
}
