import { Concierge } from './conversation/concierge.js';
import { FacetDetector } from './conversation/cues.js';
import { CONFLICT_RULES, findConflicts } from './knowledge/conflicts.js';
import { defaultDirs, loadKnowledgeBase, type KnowledgeBase, type KnowledgeSource, type Problem } from './knowledge/load.js';
import { Analyzer, readingOf, type Analysis } from './nlp/analyzer.js';
import { domainWords, DOMAIN_WORDS_RECIPE, Homophones } from './nlp/homophones.js';
import { compileLexicon, type Lexicon } from './nlp/lexicon.js';
import { normalizeText } from './nlp/normalize.js';
import { defaultTrainingSets, type Labelled, type TrainingSet } from './nlp/learned/training-data.js';
import { FileModelCache, modelKey, type ModelCache } from './nlp/learned/model-cache.js';
import { trainUnderstanding, understandingKey, type TrainingContext, type Understanding } from './nlp/learned/understanding.js';
import { loadTokenizer, type LoadedTokenizer, type Tokenizer } from './nlp/tokenizer.js';
import { buildForeign } from './nlp/foreign/build.js';
import type { ForeignLanguageData } from './nlp/foreign/data.js';
import type { ForeignUnderstanding } from './nlp/foreign/understanding.js';

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
  understanding: Understanding;
  /** English, Tiếng Việt and 中文, read by models of their own (languages/<code>/_examples.yaml, _cues.yaml). */
  foreign: ForeignUnderstanding;
  concierge: Concierge;
  timings: { tokenizerMs: number; indexMs: number };
}

let sharedTokenizer: Promise<LoadedTokenizer> | undefined;

/** kuromoji's dictionary is loaded once per process, however many cores are built (tests, reloads). */
export function sharedTokenizerLoad() {
  sharedTokenizer ??= loadTokenizer();
  return sharedTokenizer;
}

export interface CoreOptions {
  /** What the models learn from besides the knowledge base's own examples (default: the repository's training/). */
  training?: readonly TrainingSet[];
  /** Where trained models are kept (default: node_modules/.cache/kosodate-model; null: train every time). */
  modelCache?: ModelCache | null;
  /** Each language's examples and cues (default: the repository's languages/<code>/_examples.yaml and _cues.yaml). */
  foreign?: readonly ForeignLanguageData[];
}

let sharedModelCache: ModelCache | undefined;
/** Where a core's models and tables are cached: the options' cache, none when they say null, or the shared file cache. */
const modelCacheOf = (opts: CoreOptions): ModelCache | undefined =>
  opts.modelCache === null ? undefined : (opts.modelCache ?? (sharedModelCache ??= new FileModelCache()));
const trainingContext = (kb: KnowledgeBase, analyses: AnalyzerLike, opts: CoreOptions): TrainingContext => {
  const cues = new FacetDetector(kb.facetCues, (cue, o) => analyses.kanaSpelling(cue, o));
  return {
    analyze: (t) => analyses.analyze(t),
    facetHints: (a) => cues.hits(a.norm),
    // The lexicon rewrites texts before features are taken and the facet cues add features; the tokenizer's
    // dictionary is fixed by the lockfile.
    // The lexicon also matches the kana readings of its kanji spellings (compileLexicon's readingOf).
    // Misconverted kanji are rewritten to the known domain words of the lexicon and the knowledge base's texts: the
    // table itself is named, as the reference model of the conflict check is trained without those texts.
    analysisKey: { lexicon: kb.lexicon, facetCues: kb.facetCues, lexiconReadings: 1, facetCueReadings: 1, homophones: analyses.homophones.entries() },
    cache: modelCacheOf(opts),
  };
};

/** Builds the NLP pipeline and the conversation core from a knowledge base that passed validation. */
export function buildCore(kb: KnowledgeBase, tokenizer: Tokenizer, tokenizerMs = 0, opts: CoreOptions = {}): Core {
  return buildCoreWithAnalyses(kb, tokenizer, tokenizerMs, opts).core;
}

/**
 * buildCore, also handing back the analyses of the knowledge base's own texts: the conflict check needs
 * the examples' analyses again, and tokenizing them twice was a third of start-up. The memo is not kept
 * by the core, so it is freed once start-up is done.
 */
function buildCoreWithAnalyses(kb: KnowledgeBase, tokenizer: Tokenizer, tokenizerMs: number, opts: CoreOptions = {}) {
  const started = performance.now();
  const lexicon = compileLexicon(kb.lexicon, (text) => readingOf(tokenizer, text));
  const cache = modelCacheOf(opts);
  const homophones = new Homophones(homophoneWords(kb, tokenizer, lexicon, cache), (s) => lexicon.apply(normalizeText(s)));
  const analyzer = new Analyzer(tokenizer, lexicon, homophones);
  const analyses = memoAnalyzer(analyzer, homophones);
  const training = opts.training ?? defaultTrainingSets();
  const understanding = trainUnderstanding([...knowledgeBaseItems(kb), ...training.flatMap((s) => s.items)], trainingContext(kb, analyses, opts));
  const foreign = buildForeign(training, opts.foreign, cache);
  const concierge = new Concierge({ kb, analyzer, understanding, foreign });
  const core: Core = { kb, tokenizer, analyzer, understanding, foreign, concierge, timings: { tokenizerMs, indexMs: Math.round(performance.now() - started) } };
  return { core, analyses };
}

/** Analyzer.analyze is a pure function of the text, so a start-up memo changes nothing but the time. */
function memoAnalyzer(analyzer: Analyzer, homophones: Homophones): AnalyzerLike {
  const memo = new Map<string, Analysis>();
  return {
    homophones,
    analyze(text) {
      let a = memo.get(text);
      if (!a) memo.set(text, (a = analyzer.analyze(text)));
      return a;
    },
    kanaSpelling: (phrase, o) => analyzer.kanaSpelling(phrase, o),
  };
}

type AnalyzerLike = Pick<Analyzer, 'analyze' | 'kanaSpelling'> & { homophones: Homophones };

/**
 * The known domain words for Homophones, kept in the model cache: tokenizing the knowledge base's texts for them is
 * ≈ 130 ms of a cold start-up, and they are a function of the lexicon and those texts alone (and of the dictionary,
 * fixed by the lockfile).
 */
function homophoneWords(kb: KnowledgeBase, tokenizer: Tokenizer, lexicon: Lexicon, cache: ModelCache | undefined): [string, string][] {
  const texts = [...knowledgeBaseTexts(kb)];
  const key = modelKey({ table: 'homophones: known domain words by reading', recipe: DOMAIN_WORDS_RECIPE, lexicon: kb.lexicon, texts });
  const kept = cache?.getText?.(key);
  if (kept !== undefined)
    try {
      const words = JSON.parse(kept) as unknown;
      if (Array.isArray(words) && words.every((w) => Array.isArray(w) && w.length === 2 && w.every((x) => typeof x === 'string')))
        return words as [string, string][];
    } catch {
      // damaged: made again below
    }
  const words = domainWords(tokenizer, kb.lexicon, lexicon, texts);
  cache?.setText?.(key, JSON.stringify(words));
  return words;
}

/**
 * The knowledge base's own texts where its domain words are spelled right, as parents would write them: examples,
 * titles and summaries. The answers were left out: they doubled the table (1,557 readings against 677) and a cold
 * start-up's cost for no correction more on the corpus, and their words are officialese no parent types.
 */
function* knowledgeBaseTexts(kb: KnowledgeBase): Generator<string> {
  for (const i of kb.intents.values()) yield* i.examples;
  for (const e of kb.entries.values()) yield* [e.title, e.summary];
}

/**
 * What the knowledge base itself teaches the models: each intent's examples, each entry's title and summary (staff
 * write those anyway, and they name the service), the phrases that ask for a person, and other city business.
 */
export function knowledgeBaseItems(kb: KnowledgeBase): Labelled[] {
  const items: Labelled[] = [];
  for (const i of kb.intents.values()) {
    for (const text of i.examples) items.push({ text, label: i.id });
    const e = kb.entries.get(i.id);
    if (e && e.topic !== 'smalltalk') items.push({ text: e.title, label: i.id }, { text: e.summary, label: i.id });
  }
  for (const text of kb.handoff.phrases) items.push({ text, label: '@handoff' });
  for (const text of kb.guards.out_of_scope) items.push({ text, label: '@none' });
  return items;
}

/**
 * Examples that contradict what the bot learned from the training sets alone (findConflicts), checked against a model
 * of those sets without the knowledge base's examples: what an example means to everything else the bot has learned.
 * That model is not kept in memory (≈ 25 MB), and is not even loaded when this very check has passed before: a pass
 * is remembered in the model cache under a key naming all it depends on (the reference model's key, the rules, every
 * intent's examples), so start-up and a publish of an already checked knowledge base skip it. A failed check is never
 * remembered: its problems are always worked out afresh.
 */
function conflicts(kb: KnowledgeBase, analyses: AnalyzerLike): Problem[] {
  const ctx = trainingContext(kb, analyses, {});
  const items = defaultTrainingSets().flatMap((s) => s.items);
  const passed = modelKey({
    check: 'conflicts: no example contradicts the reference model',
    rules: CONFLICT_RULES,
    reference: understandingKey(items, ctx),
    intents: [...kb.intents.values()].map((i) => [i.id, i.examples]),
  });
  if (ctx.cache?.getText?.(passed) === PASSED) return [];
  const problems = findConflicts(kb, analyses, trainUnderstanding(items, ctx));
  if (!problems.length) ctx.cache?.setText?.(passed, PASSED);
  return problems;
}

// Kept as the cache's other texts are, as JSON (a .json file).
const PASSED = JSON.stringify({ passed: true });

/**
 * Validates a knowledge base (schemas, references, then every example against the matcher) and builds its core
 * with an already-loaded tokenizer. The core is returned only when there is no problem.
 */
export function buildCheckedCore(source: KnowledgeSource, tokenizer: Tokenizer, tokenizerMs = 0): { core?: Core; problems: Problem[] } {
  // The files' parsed YAML is kept with the models: a start-up with files parsed before parses none.
  const { kb, problems } = loadKnowledgeBase(source, modelCacheOf({}));
  if (!kb) return { problems };
  const { core, analyses } = buildCoreWithAnalyses(kb, tokenizer, tokenizerMs);
  const found = conflicts(kb, analyses);
  return found.length ? { problems: found } : { core, problems: [] };
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
