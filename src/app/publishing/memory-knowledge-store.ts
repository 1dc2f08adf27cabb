import type { KnowledgeFiles } from '../../core/knowledge/files.js';
import { VersionedStore, type CommitMeta, type KnowledgeVersion, type PublishOutcome, type VersionMeta } from './store.js';

/** Versions in this process only (local mode, tests): the same contract as the Redis store, for one instance. */
export class MemoryKnowledgeStore extends VersionedStore {
  readonly kind = 'memory' as const;
  private readonly versions: KnowledgeVersion[] = [];
  private currentN: number | undefined;
  private readonly listeners = new Set<(n: number) => void>();

  async current() {
    return this.currentN;
  }

  async get(n: number) {
    const v = this.versions[n - 1];
    return v ? { ...v, files: { ...v.files } } : undefined;
  }

  async list(limit = 50): Promise<VersionMeta[]> {
    return this.versions
      .slice(-limit)
      .reverse()
      .map(({ files: _files, ...meta }) => meta);
  }

  protected async commit(expected: number, files: KnowledgeFiles, meta: CommitMeta): Promise<PublishOutcome> {
    if ((this.currentN ?? 0) !== expected) return { ok: false, reason: 'stale', current: this.currentN };
    const n = this.versions.length + 1;
    this.versions.push({ n, ...meta, files: { ...files } });
    this.currentN = n;
    // Announced after the caller's await returns, like a message arriving from Redis.
    queueMicrotask(() => this.listeners.forEach((l) => l(n)));
    const { files: _files, ...version } = this.versions[n - 1]!;
    return { ok: true, version };
  }

  watch(listener: (n: number) => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async ready() {}

  async close() {
    this.listeners.clear();
  }
}
