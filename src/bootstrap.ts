import { Concierge } from './dialogue/concierge.js';
import { findConflicts } from './knowledge/conflicts.js';
import { defaultDirs, loadKnowledgeBase, type KnowledgeBase, type KnowledgeSource, type Problem } from './knowledge/load.js';
import { Analyzer, type Analysis } from './nlp/analyzer.js';
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
  return buildCoreWithAnalyses(kb, tokenizer, tokenizerMs).core;
}

/**
 * buildCore, also handing back the analyses of the knowledge base's own texts: the conflict check needs
 * the examples' analyses again, and tokenizing them twice was a third of start-up. The memo is not kept
 * by the core, so it is freed once start-up is done.
 */
function buildCoreWithAnalyses(kb: KnowledgeBase, tokenizer: Tokenizer, tokenizerMs: number) {
  const started = performance.now();
  const analyzer = new Analyzer(tokenizer, compileLexicon(kb.lexicon));
  const analyses = memoAnalyzer(analyzer);
  const matcher = new Matcher(analyses, matchableIntents(kb));
  const concierge = new Concierge({ kb, analyzer, matcher });
  const core: Core = { kb, tokenizer, analyzer, matcher, concierge, timings: { tokenizerMs, indexMs: Math.round(performance.now() - started) } };
  return { core, analyses };
}

/** Analyzer.analyze is a pure function of the text, so a start-up memo changes nothing but the time. */
function memoAnalyzer(analyzer: Analyzer): Pick<Analyzer, 'analyze'> {
  const memo = new Map<string, Analysis>();
  return {
    analyze(text) {
      let a = memo.get(text);
      if (!a) memo.set(text, (a = analyzer.analyze(text)));
      return a;
    },
  };
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
  const { core, analyses } = buildCoreWithAnalyses(kb, tokenizer, tokenizerMs);
  const conflicts = findConflicts(kb, analyses, core.matcher);
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
