import { KnowledgeBaseError, buildCheckedCore, sharedTokenizerLoad, type Core } from '../../core/build-core.js';
import type { Logger } from '../log.js';
import type { Tokenizer } from '../../core/nlp/tokenizer.js';
import { sameFiles, type KnowledgeFiles } from '../../core/knowledge/files.js';
import type { KnowledgeStore } from './store.js';

export interface LiveKnowledgeOptions {
  store: KnowledgeStore;
  /** The repository's files: version 1 when the store is empty, and the fallback when the stored one is unusable. */
  seed: () => KnowledgeFiles;
  logger: Logger;
  /** A core already built from these files (tests share one per file): used instead of building the same again. */
  prebuilt?: { files: KnowledgeFiles; core: Core };
  /** How often the current version is re-read in case an announcement was missed (reconnects); 0 = never. */
  pollMs?: number;
}

interface Loaded {
  core: Core;
  /** undefined: serving the repository's files because no stored version could be used. */
  version: number | undefined;
}

/**
 * The core this instance answers with, swapped whole when a new version is announced: a request sees either the old
 * or the new knowledge base, never a mix. Every core is built with the one kuromoji tokenizer of the process, and a
 * version that fails validation is never swapped in — the last good one keeps serving.
 */
export class LiveKnowledge {
  private loaded!: Loaded;
  private readonly rejected = new Set<number>();
  private refreshing: Promise<void> = Promise.resolve();
  private stopWatch: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly opts: LiveKnowledgeOptions) {}

  /** Seeds an empty store, loads the current version and starts following announcements. */
  static async start(opts: LiveKnowledgeOptions): Promise<LiveKnowledge> {
    const live = new LiveKnowledge(opts);
    await live.init();
    return live;
  }

  core(): Core {
    return this.loaded.core;
  }

  version(): number | undefined {
    return this.loaded.version;
  }

  // The last build, so seeding (check, store, load) builds the same files once.
  private last: { files: KnowledgeFiles; built: ReturnType<typeof buildCheckedCore> } | undefined;

  private build(files: KnowledgeFiles, tokenizer: Tokenizer, ms = 0) {
    const pre = this.opts.prebuilt;
    if (pre && sameFiles(pre.files, files)) return { core: pre.core, problems: [] };
    if (this.last && sameFiles(this.last.files, files)) return this.last.built;
    const built = buildCheckedCore({ files }, tokenizer, ms);
    this.last = { files, built };
    return built;
  }

  private async init() {
    const { store, logger } = this.opts;
    const { tokenizer, ms } = await sharedTokenizerLoad();
    this.stopWatch = store.watch(() => void this.refresh());
    await store.ready();
    let current = await store.current();
    if (current === undefined) {
      const files = this.opts.seed();
      const { problems } = this.build(files, tokenizer, ms);
      if (problems.length) throw new KnowledgeBaseError(problems);
      const out = await store.publish(files, 'system', 'リポジトリのファイルから作成', { expected: 0 });
      // Another instance starting at the same moment may have seeded first; either way there is a version now.
      current = out.ok ? out.version.n : out.current;
      if (out.ok)
        logger.info(
          { kb: 'seed', version: out.version.n, files: Object.keys(files).length },
          'knowledge-base store was empty: version 1 created from the repository files',
        );
    }
    const stored = current ? await store.get(current) : undefined;
    const built = stored ? this.build(stored.files, tokenizer, ms) : undefined;
    if (stored && built?.core) {
      this.loaded = { core: built.core, version: stored.n };
      const disk = this.opts.seed();
      if (!sameFiles(disk, stored.files))
        logger.info(
          { kb: 'start', version: stored.n },
          'the repository files differ from the live knowledge-base version (npm run kb:export writes the live one; kb:import publishes files)',
        );
    } else {
      logger.error(
        { kb: 'start', version: current, problems: built?.problems.length },
        'the current knowledge-base version cannot be used: serving the repository files',
      );
      const fallback = this.build(this.opts.seed(), tokenizer, ms);
      if (!fallback.core) throw new KnowledgeBaseError(fallback.problems);
      if (current) this.rejected.add(current);
      this.loaded = { core: fallback.core, version: undefined };
    }
    logger.info(
      { kb: 'loaded', version: this.loaded.version, tokenizerMs: ms, indexMs: this.loaded.core.timings.indexMs, entries: this.loaded.core.kb.entries.size },
      'knowledge base loaded',
    );
    if (this.opts.pollMs) {
      this.timer = setInterval(() => void this.refresh(), this.opts.pollMs);
      this.timer.unref();
    }
    // An announcement that arrived while starting was ignored (nothing was loaded yet): look once more.
    void this.refresh();
  }

  /** Loads the store's current version if it is new here; one load at a time. */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing
      .then(() => this.loadCurrent())
      .catch((err: Error) => this.opts.logger.warn({ kb: 'reload', err: err.message }, 'knowledge-base reload failed'));
    return this.refreshing;
  }

  private async loadCurrent() {
    const { store, logger } = this.opts;
    if (!this.loaded) return;
    const n = await store.current();
    if (n === undefined || n === this.loaded.version || this.rejected.has(n)) return;
    const version = await store.get(n);
    if (!version) return;
    const started = performance.now();
    const { tokenizer } = await sharedTokenizerLoad();
    const { core, problems } = this.build(version.files, tokenizer);
    if (!core) {
      this.rejected.add(n);
      logger.error(
        { kb: 'reload', version: n, problems: problems.length, serving: this.loaded.version },
        'knowledge-base version is invalid: not swapped in, the last good version keeps serving',
      );
      return;
    }
    const previous = this.loaded.version;
    this.loaded = { core, version: n };
    this.last = undefined; // the previous build's cores are no longer needed in memory
    logger.info({ kb: 'reload', version: n, previous, ms: Math.round(performance.now() - started) }, 'knowledge-base version is live');
  }

  async close() {
    clearInterval(this.timer);
    this.stopWatch?.();
    await this.refreshing;
    await this.opts.store.close();
  }
}
