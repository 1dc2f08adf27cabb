import { Concierge } from './dialogue/concierge.js';
import { findConflicts } from './knowledge/conflicts.js';
import { defaultDirs, loadKnowledgeBase, type KnowledgeBase, type KnowledgeDirs, type Problem } from './knowledge/load.js';
import { Analyzer } from './nlp/analyzer.js';
import { compileLexicon } from './nlp/lexicon.js';
import { Matcher } from './nlp/matcher.js';
import { loadTokenizer, type LoadedTokenizer, type Tokenizer } from './nlp/tokenizer.js';

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

let sharedTokenizer: Promise<LoadedTokenizer> | undefined;

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
 * Loads files, validates them, builds the core and checks that every example lands on its own intent;
 * throws KnowledgeBaseError listing every problem.
 */
export async function loadCore(dirs: KnowledgeDirs = defaultDirs()): Promise<Core> {
  const { kb, problems } = loadKnowledgeBase(dirs);
  if (!kb) throw new KnowledgeBaseError(problems);
  const { tokenizer, ms } = await sharedTokenizerLoad();
  const core = buildCore(kb, tokenizer, ms);
  const conflicts = findConflicts(kb, core.analyzer, core.matcher);
  if (conflicts.length) throw new KnowledgeBaseError(conflicts);
  return core;
}
