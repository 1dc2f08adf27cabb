import { Concierge } from './dialogue/concierge.js';
import { findConflicts } from './knowledge/conflicts.js';
import { defaultDirs, loadKnowledgeBase, type KnowledgeBase, type KnowledgeSource, type Problem } from './knowledge/load.js';
import { Analyzer } from './nlp/analyzer.js';
import { compileLexicon } from './nlp/lexicon.js';
import { Matcher } from './nlp/matcher.js';
import { loadTokenizer, type Tokenizer } from './nlp/tokenizer.js';

export class KnowledgeBaseError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`knowledge base is invalid (${problems.length} problem(s)):\n${formatProblems(problems)}`);
  }
}

export const formatProblems = (problems: Problem[]) => problems.map((p) => `  ${p.file}  ${p.field}: ${p.message}`).join('\n');

export interface Core {
  kb: KnowledgeBase;
  tokenizer: Tokenizer;
  analyzer: Analyzer;
  matcher: Matcher;
  concierge: Concierge;
  timings: { tokenizerMs: number; indexMs: number };
}

let sharedTokenizer: Promise<{ tokenizer: Tokenizer; ms: number }> | undefined;

/** kuromoji's dictionary is loaded once per process, however many cores are built (tests, reloads). */
export function sharedTokenizerLoad() {
  sharedTokenizer ??= loadTokenizer();
  return sharedTokenizer;
}

/** Builds the NLP pipeline and the conversation core from a knowledge base that passed validation. */
export function buildCore(kb: KnowledgeBase, tokenizer: Tokenizer, tokenizerMs = 0): Core {
  const started = performance.now();
  const analyzer = new Analyzer(tokenizer, compileLexicon(kb.lexicon));
  const matcher = new Matcher(analyzer, matchableIntents(kb));
  const concierge = new Concierge({ kb, analyzer, matcher });
  return { kb, tokenizer, analyzer, matcher, concierge, timings: { tokenizerMs, indexMs: Math.round(performance.now() - started) } };
}

/** Intent examples plus each entry's title and summary: staff write those anyway, and they name the service. */
export function matchableIntents(kb: KnowledgeBase) {
  return [...kb.intents.values()].map((i) => {
    const e = kb.entries.get(i.id);
    return e && e.topic !== 'smalltalk' ? { ...i, examples: [...i.examples, e.title, e.summary] } : i;
  });
}

/**
 * Validates a knowledge base (schemas, references, then every example against the matcher) and builds its core
 * with an already-loaded tokenizer. The core is returned only when there is no problem.
 */
export function buildCheckedCore(source: KnowledgeSource, tokenizer: Tokenizer, tokenizerMs = 0): { core?: Core; problems: Problem[] } {
  const { kb, problems } = loadKnowledgeBase(source);
  if (!kb) return { problems };
  const core = buildCore(kb, tokenizer, tokenizerMs);
  const conflicts = findConflicts(kb, core.analyzer, core.matcher);
  return conflicts.length ? { problems: conflicts } : { core, problems: [] };
}

/**
 * Loads files (the folders on disk by default), validates them, builds the core and checks that every example lands
 * on its own intent; throws KnowledgeBaseError listing every problem.
 */
export async function loadCore(source: KnowledgeSource = defaultDirs()): Promise<Core> {
  const { tokenizer, ms } = await sharedTokenizerLoad();
  const { core, problems } = buildCheckedCore(source, tokenizer, ms);
  if (!core) throw new KnowledgeBaseError(problems);
  return core;
}
