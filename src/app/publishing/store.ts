import type { KnowledgeFiles } from '../../core/knowledge/files.js';
import { diffKnowledge, summarize } from '../../core/knowledge/diff.js';

/** What the version list shows of one published version. */
export interface VersionMeta {
  n: number;
  /** Staff account that published it (`system` for the seed from the repository, `cli` for kb:import). */
  author: string;
  at: number;
  message: string;
  /** What changed from the version before, in words (diff.ts summarize). */
  summary: string;
  /** Set when this version is a copy of an earlier one (a rollback). */
  rollbackOf?: number;
}

export interface KnowledgeVersion extends VersionMeta {
  files: KnowledgeFiles;
}

export type PublishOutcome = { ok: true; version: VersionMeta } | { ok: false; reason: 'stale'; current: number | undefined };

export interface PublishOptions {
  /**
   * Publish only if this is still the current version (0: only if there is none yet). Two people editing from
   * the same version must not silently undo each other's work. Left out: publish on top of whatever is current.
   */
  expected?: number;
  rollbackOf?: number;
}

/**
 * The knowledge base as numbered versions. Every publish (a rollback too) makes a new, higher number and makes it
 * current; nothing is ever rewritten, so any earlier version can be looked at or brought back. Implementations
 * announce each new current version to `watch` listeners (every instance, for Redis).
 */
export interface KnowledgeStore {
  readonly kind: 'memory' | 'redis';
  /** The current version's number; undefined before the first publish. */
  current(): Promise<number | undefined>;
  get(n: number): Promise<KnowledgeVersion | undefined>;
  /** Newest first. */
  list(limit?: number): Promise<VersionMeta[]>;
  publish(files: KnowledgeFiles, author: string, message: string, opts?: PublishOptions): Promise<PublishOutcome>;
  /** Publishes a copy of version `n` as a new version. */
  rollback(n: number, author: string, opts?: Omit<PublishOptions, 'rollbackOf'>): Promise<PublishOutcome>;
  /** Called with the number of each new current version, from any instance. Returns an unsubscribe function. */
  watch(listener: (n: number) => void): () => void;
  /** Resolves when announcements will be received (the Redis subscription is in place). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface CommitMeta {
  author: string;
  at: number;
  message: string;
  summary: string;
  rollbackOf?: number;
}

/**
 * The shared rules of both stores: the summary is computed against the version the new one replaces, and a commit
 * only lands when that version is still current (retried when the caller did not ask for a particular base).
 */
export abstract class VersionedStore implements KnowledgeStore {
  abstract readonly kind: 'memory' | 'redis';
  abstract current(): Promise<number | undefined>;
  abstract get(n: number): Promise<KnowledgeVersion | undefined>;
  abstract list(limit?: number): Promise<VersionMeta[]>;
  abstract watch(listener: (n: number) => void): () => void;
  abstract ready(): Promise<void>;
  abstract close(): Promise<void>;
  /** Stores the version as number current+1 if `expected` (0 = none) is still current; announces it. */
  protected abstract commit(expected: number, files: KnowledgeFiles, meta: CommitMeta): Promise<PublishOutcome>;

  constructor(protected readonly now: () => number = Date.now) {}

  async publish(files: KnowledgeFiles, author: string, message: string, opts: PublishOptions = {}): Promise<PublishOutcome> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.current();
      if (opts.expected !== undefined && (current ?? 0) !== opts.expected) return { ok: false, reason: 'stale', current };
      const before = current ? ((await this.get(current))?.files ?? {}) : {};
      const summary = current ? summarize(diffKnowledge(before, files)) : `最初の版（${Object.keys(files).length}ファイル）`;
      const meta: CommitMeta = { author, at: this.now(), message, summary, ...(opts.rollbackOf ? { rollbackOf: opts.rollbackOf } : {}) };
      const out = await this.commit(current ?? 0, files, meta);
      // Someone published between our read and our write: the summary would describe the wrong change.
      if (out.ok || opts.expected !== undefined || attempt >= 4) return out;
    }
  }

  async rollback(n: number, author: string, opts: Omit<PublishOptions, 'rollbackOf'> = {}): Promise<PublishOutcome> {
    const old = await this.get(n);
    if (!old) throw new Error(`no knowledge-base version ${n}`);
    return this.publish(old.files, author, `版${n}に戻す`, { ...opts, rollbackOf: n });
  }
}
