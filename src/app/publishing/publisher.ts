import { buildCheckedCore, type Core } from '../../core/build-core.js';
import type { Logger } from '../log.js';
import type { Tokenizer } from '../../core/nlp/tokenizer.js';
import { KnowledgeFilesSchema, sameFiles, type KnowledgeFiles } from '../../core/knowledge/files.js';
import type { Problem } from '../../core/knowledge/load.js';
import { checkFloor, type FloorReport } from './floor.js';
import type { KnowledgeStore, VersionMeta } from './store.js';

/** Everything a publish is judged by, kept whole so the console can show every reason at once. */
export interface CheckReport {
  ok: boolean;
  /** Schema, reference and example problems; each names a file and a field. */
  problems: Problem[];
  /** Absent when the structural checks failed (the floor needs a working core). */
  floor?: FloorReport;
  /** The candidate core, when it could be built: previews use it. */
  core?: Core;
  /**
   * Translations this change leaves behind (their numbers no longer match the new Japanese): no reason to refuse —
   * they are set aside and parents get the fallback language there — but staff are told, so they can be redone.
   */
  setAside?: Problem[];
}

export interface CheckOptions {
  /** false: skip the development-set floor (structural checks only). */
  floor?: boolean;
  /**
   * The translated parts a staff member wrote in this change. A translation the Japanese leaves behind is set aside
   * (the Japanese goes live regardless), but one written just now that does not match is refused: nothing of it goes
   * live, and the problems say which part and what differs.
   */
  held?: (p: Problem) => boolean;
}

export type PublishResult =
  | { status: 'published'; version: VersionMeta; report: CheckReport }
  | { status: 'refused'; report: CheckReport }
  | { status: 'stale'; current: number | undefined }
  | { status: 'unchanged'; current: number };

export interface PublisherDeps {
  store: KnowledgeStore;
  tokenizer: () => Promise<{ tokenizer: Tokenizer }>;
  /** The development set the floor is measured on. */
  evalFile: string;
  /** The live core, to name the development questions a change would break. */
  live?: () => Core | undefined;
  logger: Logger;
}

/**
 * The only way a knowledge base goes live: check (validation, examples against the matcher, the development-set
 * floor), then store as a new version, which every instance picks up. A refused publish changes nothing.
 */
export class KnowledgePublisher {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: PublisherDeps) {}

  get store(): KnowledgeStore {
    return this.deps.store;
  }

  /** Checks run one at a time: each builds a whole core and answers the development set (CPU, memory). */
  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  check(files: KnowledgeFiles, opts: CheckOptions = {}): Promise<CheckReport> {
    return this.serial(() => this.checkNow(files, opts));
  }

  private async checkNow(files: KnowledgeFiles, opts: CheckOptions): Promise<CheckReport> {
    const shape = KnowledgeFilesSchema.safeParse(files);
    if (!shape.success) return { ok: false, problems: shape.error.issues.map((i) => ({ file: String(i.path[0] ?? '-'), field: '-', message: i.message })) };
    const { tokenizer } = await this.deps.tokenizer();
    const { core, problems } = buildCheckedCore({ files }, tokenizer);
    if (!core) return { ok: false, problems };
    const setAside = newlySetAside(core, this.deps.live?.());
    const held = opts.held ? heldTranslations(core, opts.held) : [];
    if (held.length) return { ok: false, problems: held, core, setAside: setAside.filter((p) => !opts.held!(p)) };
    if (opts.floor === false) return { ok: true, problems: [], core, setAside };
    const floor = await checkFloor(core.concierge, this.deps.evalFile, this.deps.live?.()?.concierge);
    return { ok: floor.status !== 'failed', problems: [], floor, core, setAside };
  }

  /**
   * Checks and, when everything holds, publishes. `base`: the version the change was made from; when another
   * version went live meanwhile the publish is refused as stale instead of undoing that one.
   */
  async publish(files: KnowledgeFiles, author: string, message: string, opts: { base?: number; held?: CheckOptions['held'] } = {}): Promise<PublishResult> {
    const current = await this.deps.store.current();
    if (opts.base !== undefined && (current ?? 0) !== opts.base) return { status: 'stale', current };
    if (current) {
      const live = await this.deps.store.get(current);
      if (live && sameFiles(live.files, files)) return { status: 'unchanged', current };
    }
    const report = await this.check(files, opts.held ? { held: opts.held } : {});
    if (!report.ok) {
      this.deps.logger.warn(
        { kb: 'publish', outcome: 'refused', staff: author, problems: report.problems.length, floor: report.floor?.status },
        'knowledge-base publish refused',
      );
      return { status: 'refused', report };
    }
    const out = await this.deps.store.publish(files, author, message, { expected: current ?? 0 });
    if (!out.ok) return { status: 'stale', current: out.current };
    this.deps.logger.info(
      { kb: 'publish', outcome: 'published', staff: author, version: out.version.n, floor: report.floor?.status },
      'knowledge-base version published',
    );
    return { status: 'published', version: out.version, report };
  }

  /**
   * Brings an earlier version back as a new one. It must still pass validation (the code may have changed since);
   * the development-set figures are measured and shown but do not block: going back to what was live is the way
   * out of trouble, and it must stay open.
   */
  async rollback(n: number, author: string): Promise<PublishResult | { status: 'missing' }> {
    const old = await this.deps.store.get(n);
    if (!old) return { status: 'missing' };
    const current = await this.deps.store.current();
    const report = await this.check(old.files);
    const structural = report.problems.length === 0;
    if (!structural) {
      this.deps.logger.warn({ kb: 'rollback', outcome: 'refused', staff: author, to: n, problems: report.problems.length }, 'knowledge-base rollback refused');
      return { status: 'refused', report };
    }
    const out = await this.deps.store.rollback(n, author, { expected: current ?? 0 });
    if (!out.ok) return { status: 'stale', current: out.current };
    this.deps.logger.info(
      { kb: 'rollback', outcome: 'published', staff: author, to: n, version: out.version.n, floor: report.floor?.status },
      'knowledge-base rolled back',
    );
    return { status: 'published', version: out.version, report: { ...report, ok: true } };
  }
}

/** Set-aside translations the change wrote (`held`), as refusals: without the note that they fall back meanwhile. */
function heldTranslations(candidate: Core, held: (p: Problem) => boolean): Problem[] {
  return [...candidate.kb.languages.values()]
    .flatMap((p) => p.stale)
    .filter(held)
    .map((p) => ({ ...p, message: p.message.replace(/。直すまで、[^。]*代わりの言語で出します$/, '') }));
}

/** The translations a candidate sets aside that the live version did not. */
function newlySetAside(candidate: Core, live: Core | undefined): Problem[] {
  const stale = (core: Core) => [...core.kb.languages.values()].flatMap((p) => p.stale);
  const before = new Set(live ? stale(live).map((p) => `${p.file}\n${p.field}`) : []);
  return stale(candidate).filter((p) => !before.has(`${p.file}\n${p.field}`));
}
