import type { Facet } from '../../knowledge/schema.js';
import type { Analysis } from '../analyzer.js';
import { isTopicFeature, LENGTH, messageFeatures, spellingsOf, topicFeatures, vocabularyOf, type Spellings, type Vocabulary } from './features.js';
import { DEFAULT_TRAINING, LinearModel, type Sample, type TrainOptions } from './linear-model.js';
import { modelKey, type ModelCache } from './model-cache.js';
import type { Labelled } from './training-data.js';

/** The labels that are not catalog ids: kinds of message the conversation handles before any answer. */
export const EMERGENCY = '@emergency';
export const HANDOFF = '@handoff';
export const NONE = '@none';
const SPECIAL = new Set([EMERGENCY, HANDOFF, NONE]);

export interface Ranked {
  intent: string;
  /** The model's probability for this intent. */
  score: number;
}

/** What the models make of one message. */
export interface Understood {
  /** Catalog ids (services and smalltalk), most probable first. */
  ranking: Ranked[];
  /** The emergency model's probability (not the intent model's: it reads the full features). */
  emergency: number;
  handoff: number;
  none: number;
  /** The facet model's reading (overview when it sees no question about one aspect). */
  facet: { facet: Facet; score: number };
  /** Features of the message's content (not its length) the intent model has seen in training. */
  known: number;
  /** The facet cue groups the message hits (intents/_facets.yaml, in their order), when the reader looked for them. */
  cues?: string[];
}

/**
 * Three models trained on labelled messages: one over every label (catalog ids and the three kinds of message), one
 * over facets (trained on the cases that say which facet they ask, overview included), and one that only tells an
 * emergency from everything else, on the full features (see topicFeatures).
 */
export class Understanding {
  private readonly rows: SharedRows;

  constructor(
    private readonly intents: LinearModel,
    private readonly facets: LinearModel,
    private readonly danger: LinearModel,
    private readonly facetHints?: FacetHints,
    // The reading terms the intent model knows: the same set training found them in (see trainUnderstanding).
    private readonly vocabulary: Vocabulary = vocabularyOf(intents.featureNames()),
    private readonly spellings: Spellings = new Map(),
  ) {
    this.rows = sharedRows([intents, facets, danger]); // in the order INTENTS, FACETS, DANGER
  }

  read(a: Analysis): Understood {
    // The three models read overlapping features: each is looked up once, for all of them (a lookup in a model of
    // tens of thousands of features is most of what reading a message costs). The rows keep the features' order, so
    // every sum comes out as LinearModel.predict would make it.
    const all = messageFeatures(a, this.vocabulary, this.spellings); // distinct
    const { slotOf, table } = this.rows;
    const intentRows: number[] = [];
    const facetRows: number[] = [];
    const dangerRows: number[] = [];
    let topical = 0;
    let known = 0;
    for (const f of all) {
      const topic = isTopicFeature(f);
      if (topic) topical++;
      const s = slotOf(f);
      if (s === undefined) continue;
      const d = table[s * MODELS + DANGER]!;
      if (d >= 0) dangerRows.push(d);
      if (!topic) continue;
      const i = table[s * MODELS + INTENTS]!;
      if (i >= 0) {
        intentRows.push(i);
        if (!f.startsWith(LENGTH)) known++;
      }
      const q = table[s * MODELS + FACETS]!;
      if (q >= 0) facetRows.push(q);
    }
    const cues = this.facetHints?.(a);
    const extras = new Set(facetExtras(a, cues ?? []));
    for (const f of extras) {
      const s = slotOf(f);
      const q = s === undefined ? -1 : table[s * MODELS + FACETS]!;
      if (q >= 0) facetRows.push(q);
    }
    const p = this.intents.predictRows(intentRows, topical);
    const ranking: Ranked[] = [];
    let handoff = 0;
    let none = 0;
    this.intents.labels.forEach((label, k) => {
      const score = p[k]!;
      if (label === EMERGENCY) return; // read from the emergency model below
      if (label === HANDOFF) handoff = score;
      else if (label === NONE) none = score;
      else ranking.push({ intent: label, score });
    });
    // The intent model's own @emergency share is not used (the emergency model decides danger, before any answer);
    // a calm mention of danger (「去年救急搬送されました…」) must not thin out the services it asks about.
    const rest = 1 - p[this.intents.labels.indexOf(EMERGENCY)]!;
    if (rest > 0 && rest < 1) {
      for (const r of ranking) r.score /= rest;
      handoff /= rest;
      none /= rest;
    }
    ranking.sort((x, y) => y.score - x.score);
    const emergency = this.danger.predictRows(dangerRows, all.length)[this.danger.labels.indexOf(EMERGENCY)] ?? 0;
    const q = this.facets.predictRows(facetRows, topical + extras.size);
    let best = 0;
    for (let k = 1; k < q.length; k++) if (q[k]! > q[best]!) best = k;
    return {
      ranking,
      emergency,
      handoff,
      none,
      facet: { facet: this.facets.labels[best] as Facet, score: q[best]! },
      known,
      ...(cues ? { cues } : {}),
    };
  }
}

/** Each model's place in Understanding's SharedRows table, and how many there are. */
const INTENTS = 0;
const FACETS = 1;
const DANGER = 2;
const MODELS = 3;

/** Every feature any of several models knows, with its row in each (-1 where a model does not know it). */
interface SharedRows {
  /** The feature's slot, if any of the models knows it. */
  slotOf: (feature: string) => number | undefined;
  /** table[slot * models + m]: the feature's row in model m. */
  table: Int32Array;
}

/**
 * The slots are the rows of the model that knows the most features (the emergency model reads every feature the
 * others read), so its own index is the map: a new map of tens of thousands of names cost 75 ms at start-up. The few
 * features only another model knows (the facet model's cue groups and question endings) get slots after them.
 */
function sharedRows(models: readonly LinearModel[]): SharedRows {
  const base = models.reduce((x, y) => (y.size > x.size ? y : x));
  const others = new Map<string, number>();
  for (const m of models) if (m !== base) for (const [f] of m.rows()) if (base.rowOf(f) === undefined && !others.has(f)) others.set(f, base.size + others.size);
  const slotOf = (f: string) => base.rowOf(f) ?? others.get(f);
  const n = models.length;
  const table = new Int32Array((base.size + others.size) * n).fill(-1);
  models.forEach((m, k) => {
    for (const [f, row] of m.rows()) table[(m === base ? row : slotOf(f)!) * n + k] = row;
  });
  return { slotOf, table };
}

/** Named cue groups found in a message (intents/_facets.yaml): features the facet model weighs. */
export type FacetHints = (a: Analysis) => string[];

/** The facet model's features: the message's own, the cue groups it hits, and the words that end the question. */
function facetFeatures(features: string[], a: Analysis, hints: FacetHints): string[] {
  return [...features, ...facetExtras(a, hints(a))];
}

/** What the facet model reads besides the message's features: the cue groups it hits and the question's last words. */
function facetExtras(a: Analysis, cues: readonly string[]): string[] {
  const out = cues.map((h) => `cue:${h}`);
  // The question is usually at the end (「…の申し込みはどこで？」): its last characters, apart from the rest.
  const tail = a.reading.replace(/[a-z\s]+/g, '').slice(-12);
  for (let i = 0; i + 2 <= tail.length; i++) out.push(`q2:${tail.slice(i, i + 2)}`);
  return out;
}

export interface TrainingContext {
  analyze: (text: string) => Analysis;
  /** Everything besides the items that changes what `analyze` makes of a text (the lexicon): part of the cache key. */
  analysisKey: unknown;
  cache?: ModelCache;
  opts?: TrainOptions;
  facetHints?: FacetHints;
}

// How samples become features and weights: part of every cache key, so weights made by other code are never loaded.
// Bump RECIPE when messageFeatures, topicFeatures, facetFeatures or LinearModel.train change what they compute.
const RECIPE = 10;

const keyParts = (items: readonly Labelled[], ctx: TrainingContext) => ({
  opts: ctx.opts ?? DEFAULT_TRAINING,
  code: RECIPE,
  analysis: ctx.analysisKey,
  items: items.map((i) => [i.text, i.label, i.facet ?? '']),
});

/** A key naming everything the understanding trainUnderstanding gives for these items depends on. */
export const understandingKey = (items: readonly Labelled[], ctx: TrainingContext) => modelKey({ understanding: keyParts(items, ctx) });

/** Trains the models (or loads them from the cache); deterministic for the same items in the same order. */
export function trainUnderstanding(items: readonly Labelled[], ctx: TrainingContext): Understanding {
  const opts = ctx.opts ?? DEFAULT_TRAINING;
  // Every model's key names the items through one hash of them all (hashing the items is most of a key's cost).
  const whole = understandingKey(items, ctx);
  const key = (model: string) => modelKey({ model, understanding: whole });
  // The names say how each model's samples are made: change the recipe, change the name (and so the cache key).
  const intentKey = key('intents: topic features, every label');
  const facetKey = key('facets: topic features + cue groups + question tail, cases with a facet');
  const dangerKey = key('danger: all features, every label');
  let intents = ctx.cache?.get(intentKey);
  let facets = ctx.cache?.get(facetKey);
  let danger = ctx.cache?.get(dangerKey);
  const spellingsKey = key('spellings: the usual kanji spelling of each noun reading');
  let spellings = parseSpellings(ctx.cache?.getText?.(spellingsKey));
  if (!intents || !facets || !danger || !spellings) {
    const intentSamples: Sample[] = [];
    const facetSamples: Sample[] = [];
    const dangerSamples: Sample[] = [];
    // Two passes: the words the texts name (terms that are readings) first, then each text's features with the words
    // found in its kana. Every word found is one of those terms, so the trained model's reading terms are this
    // vocabulary again: a model loaded from the cache gives it back (the Understanding's default).
    const analyses = items.map((item) => ctx.analyze(item.text));
    const vocabulary = vocabularyOf(analyses.flatMap((a) => messageFeatures(a)));
    if (!spellings) {
      spellings = spellingsOf(analyses);
      ctx.cache?.setText?.(spellingsKey, JSON.stringify([...spellings]));
    }
    for (const [n, item] of items.entries()) {
      const a = analyses[n]!;
      const all = messageFeatures(a, vocabulary, spellings);
      const features = topicFeatures(all);
      intentSamples.push({ features, label: item.label });
      dangerSamples.push({ features: all, label: item.label });
      if (item.facet && !SPECIAL.has(item.label)) facetSamples.push({ features: facetFeatures(features, a, ctx.facetHints ?? (() => [])), label: item.facet });
    }
    // Train, then cache: inside `ctx.cache?.set(…)` the training would be skipped when there is no cache.
    if (!intents) {
      intents = LinearModel.train(intentSamples, opts);
      ctx.cache?.set(intentKey, intents);
    }
    if (!facets) {
      facets = LinearModel.train(facetSamples, opts);
      ctx.cache?.set(facetKey, facets);
    }
    if (!danger) {
      danger = LinearModel.train(dangerSamples, opts);
      ctx.cache?.set(dangerKey, danger);
    }
  }
  return new Understanding(intents!, facets!, danger!, ctx.facetHints, undefined, spellings);
}

function parseSpellings(text: string | undefined): Spellings | undefined {
  if (text === undefined) return undefined;
  try {
    return new Map(JSON.parse(text) as [string, string][]);
  } catch {
    return undefined; // damaged: made again from the analyses
  }
}
