import { randomUUID } from 'node:crypto';
import { chmod, mkdir, open, readFile, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../app/log.js';
import { parseStored } from './stored-json.js';
import { Promised, type PromiseSpool } from '../../app/conversation/promise-spool.js';

export interface FilePromiseSpoolOptions {
  /** A directory of this app's own (created 0700 when missing); instances may share it. */
  dir: string;
  logger?: Logger;
  /**
   * An instance renews its file this often times three; a file not renewed for this long belongs to an instance
   * that died and is taken over. Default 30 s (as the event queues' locks).
   */
  leaseMs?: number;
}

const SpoolFile = z.object({ v: z.literal(1), items: z.array(Promised) });

const OWN = /^promises-[0-9a-f-]+\.json$/;
const TAKING = /^taking-[0-9a-f-]+\.json$/;
const PARTIAL = /^\.partial-[0-9a-f-]+$/;

/**
 * Promises to parents on this machine's disk, one file per instance (`promises-<instance>.json`), replaced whole and
 * atomically (written to a partial file, synced, renamed over) with owner-only permissions: it names people (their
 * LINE id, a child's age, the area), so it exists only while something is waiting and is removed when nothing is.
 * The owner renews its file's time while it lives and sets it to the epoch at shutdown; another instance takes over
 * a file whose time is older than the lease by renaming it to a name of its own (only one rename can win), adopts
 * the items, and only then removes it — a crash in between leaves it to be taken again, never lost.
 */
export class FilePromiseSpool implements PromiseSpool {
  readonly where: string;
  private readonly instance = randomUUID();
  private readonly file: string;
  private readonly leaseMs: number;
  private renewal: ReturnType<typeof setInterval> | undefined;
  private dirReady: Promise<void> | undefined;

  constructor(private readonly opts: FilePromiseSpoolOptions) {
    this.where = path.resolve(opts.dir);
    this.file = path.join(this.where, `promises-${this.instance}.json`);
    this.leaseMs = opts.leaseMs ?? 30_000;
  }

  async keep(items: readonly Promised[]): Promise<void> {
    await this.ensureDir();
    if (!items.length) {
      this.stopRenewal();
      await rm(this.file, { force: true });
      return;
    }
    const partial = path.join(this.where, `.partial-${randomUUID()}`);
    const handle = await open(partial, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify({ v: 1, items }));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, this.file);
    this.startRenewal();
  }

  async takeLeftovers(adopt: (items: Promised[]) => Promise<void>): Promise<number> {
    await this.ensureDir();
    let taken = 0;
    const now = Date.now();
    for (const name of await readdir(this.where)) {
      const from = path.join(this.where, name);
      if (from === this.file || !(OWN.test(name) || TAKING.test(name) || PARTIAL.test(name))) continue;
      const info = await stat(from).catch(() => undefined);
      // The file system's clock may run a millisecond ahead of Date.now(): a file just written is "from the future".
      if (!info || Math.max(0, now - info.mtimeMs) < this.leaseMs) continue;
      if (PARTIAL.test(name)) {
        // A write that never finished: its owner's previous file (or nothing) is what counts.
        await rm(from, { force: true });
        continue;
      }
      const mine = path.join(this.where, `taking-${randomUUID()}.json`);
      try {
        await rename(from, mine);
      } catch {
        continue; // another instance took it first
      }
      await utimes(mine, new Date(), new Date());
      const parsed = parseStored(SpoolFile, await readFile(mine, 'utf8').catch(() => undefined));
      if (!parsed) {
        // Unreadable: nothing can be done with it, and it may name people.
        this.opts.logger?.error({ spool: this.where, bytes: info.size }, 'unreadable spool file removed');
        await rm(mine, { force: true });
        continue;
      }
      await adopt(parsed.items);
      await rm(mine, { force: true });
      taken += parsed.items.length;
    }
    return taken;
  }

  async release(): Promise<void> {
    this.stopRenewal();
    await utimes(this.file, 0, 0).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  private ensureDir(): Promise<void> {
    this.dirReady ??= (async () => {
      await mkdir(this.where, { recursive: true, mode: 0o700 });
      const { mode } = await stat(this.where);
      // A directory made by someone else (a volume mount) may be readable by all: the files stay 0600 either way.
      if (mode & 0o077) await chmod(this.where, 0o700).catch(() => this.opts.logger?.warn({ spool: this.where }, 'spool directory is readable by others'));
    })().catch((err: unknown) => {
      this.dirReady = undefined;
      throw err;
    });
    return this.dirReady;
  }

  private startRenewal(): void {
    if (this.renewal) return;
    this.renewal = setInterval(() => {
      const now = new Date();
      void utimes(this.file, now, now).catch(() => undefined);
    }, this.leaseMs / 3);
    this.renewal.unref();
  }

  private stopRenewal(): void {
    clearInterval(this.renewal);
    this.renewal = undefined;
  }
}
