import type { Facet } from '../../knowledge/schema.js';
import type { Analysis } from '../analyzer.js';
import { LENGTH, messageFeatures } from './features.js';
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
  emergency: number;
  handoff: number;
  none: number;
  /** The facet model's reading (overview when it sees no question about one aspect). */
  facet: { facet: Facet; score: number };
  /** Features of the message's content (not its length) the intent model has seen in training. */
  known: number;
}

/**
 * Two models trained on labelled messages: one over every label (catalog ids and the three kinds of message), one
 * over facets (trained on the items that name one, and overview for the rest of the catalog items).
 */
export class Understanding {
  constructor(
    private readonly intents: LinearModel,
    private readonly facets: LinearModel,
    private readonly facetHints: FacetHints = () => [],
  ) {}

  read(a: Analysis): Understood {
    const features = messageFeatures(a);
    const p = this.intents.predict(features);
    const ranking: Ranked[] = [];
    let emergency = 0;
    let handoff = 0;
    let none = 0;
    this.intents.labels.forEach((label, k) => {
      const score = p[k]!;
      if (label === EMERGENCY) emergency = score;
      else if (label === HANDOFF) handoff = score;
      else if (label === NONE) none = score;
      else ranking.push({ intent: label, score });
    });
    ranking.sort((x, y) => y.score - x.score);
    const q = this.facets.predict(facetFeatures(features, a, this.facetHints));
    let best = 0;
    for (let k = 1; k < q.length; k++) if (q[k]! > q[best]!) best = k;
    return { ranking, emergency, handoff, none, facet: { facet: this.facets.labels[best] as Facet, score: q[best]! }, known: this.intents.known(features.filter((f) => !f.startsWith(LENGTH))) };
  }

  get labels(): readonly string[] {
    return this.intents.labels;
  }
}

/** Named cue groups found in a message (intents/_facets.yaml): features the facet model weighs. */
export type FacetHints = (a: Analysis) => string[];

/** The facet model's features: the message's own, the cue groups it hits, and the words that end the question. */
function facetFeatures(features: string[], a: Analysis, hints: FacetHints): string[] {
  const out = [...features, ...hints(a).map((h) => `cue:${h}`)];
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

/** Trains both models (or loads them from the cache); deterministic for the same items in the same order. */
export function trainUnderstanding(items: readonly Labelled[], ctx: TrainingContext): Understanding {
  const opts = ctx.opts ?? DEFAULT_TRAINING;
  const key = (model: string) => modelKey({ model, opts, analysis: ctx.analysisKey, items: items.map((i) => [i.text, i.label, i.facet ?? '']) });
  const intentKey = key('intents');
  const facetKey = key('facets');
  let intents = ctx.cache?.get(intentKey);
  let facets = ctx.cache?.get(facetKey);
  if (!intents || !facets) {
    const intentSamples: Sample[] = [];
    const facetSamples: Sample[] = [];
    for (const item of items) {
      const a = ctx.analyze(item.text);
      const features = messageFeatures(a);
      intentSamples.push({ features, label: item.label });
      if (item.facet && !SPECIAL.has(item.label)) facetSamples.push({ features: facetFeatures(features, a, ctx.facetHints ?? (() => [])), label: item.facet });
    }
    if (!intents) ctx.cache?.set(intentKey, (intents = LinearModel.train(intentSamples, opts)));
    if (!facets) ctx.cache?.set(facetKey, (facets = LinearModel.train(facetSamples, opts)));
  }
  return new Understanding(intents!, facets!, ctx.facetHints);
}
