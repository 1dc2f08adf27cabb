import type { Facet } from '../../knowledge/schema.js';
import { DEFAULT_TRAINING, LinearModel, type Sample, type TrainOptions } from '../learned/linear-model.js';
import { modelKey, type ModelCache } from '../learned/model-cache.js';
import type { Labelled } from '../learned/training-data.js';
import { EMERGENCY, HANDOFF, NONE, type Ranked, type Understood } from '../learned/understanding.js';
import { ForeignCues, type ForeignCueReading } from './cues.js';
import type { CuesFile } from './data.js';
import { foreignFeatures } from './features.js';
import { understandingLanguage, type ForeignCode } from './route.js';

/** What one language's models and cues make of a message. */
export interface ForeignRead {
  code: ForeignCode;
  /** The models' reading, in the shape the Japanese models give (the conversation rules read both alike). */
  u: Understood;
  cues: ForeignCueReading;
  /** How much the Japanese models' reading counts beside this language's (see CuesFile.japaneseWeight). */
  japaneseWeight: number;
}

/**
 * This language's reading mixed with the Japanese models' reading of the same text: services, @none and danger by
 * weight (the Japanese danger model alone took a report of abuse next door for violence now), a person wanted by the
 * larger of the two. Named danger is read by the cues of both, not here.
 */
export function blendWithJapanese(own: Understood, ja: Understood, w: number): Understood {
  const js = new Map(ja.ranking.map((r) => [r.intent, r.score]));
  const ranking = own.ranking.map((r) => ({ intent: r.intent, score: (1 - w) * r.score + w * (js.get(r.intent) ?? 0) })).sort((x, y) => y.score - x.score);
  return {
    ...own,
    ranking,
    none: (1 - w) * own.none + w * ja.none,
    handoff: Math.max(own.handoff, (1 - w) * own.handoff + w * ja.handoff),
    emergency: (1 - w) * own.emergency + w * ja.emergency,
  };
}

const SPECIAL = new Set([EMERGENCY, HANDOFF, NONE]);

/** One language: a model over every label (catalog ids and the three kinds of message), one over facets, and its cues. */
class LanguageModels {
  constructor(
    readonly code: ForeignCode,
    private readonly intents: LinearModel,
    private readonly facets: LinearModel,
    readonly cues: ForeignCues,
    private readonly japaneseWeight: number,
  ) {}

  read(text: string): ForeignRead {
    const features = foreignFeatures(this.code, text);
    const cues = this.cues.read(text);
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
    const q = this.facets.predict(facetFeatures(features, cues));
    let best = 0;
    for (let k = 1; k < q.length; k++) if (q[k]! > q[best]!) best = k;
    // A listed request for a person is one, whatever the model makes of the rest (as intents/_handoff.yaml is in Japanese).
    if (cues.handoff) handoff = 1;
    return {
      code: this.code,
      japaneseWeight: this.japaneseWeight,
      cues,
      u: {
        ranking,
        emergency,
        handoff,
        none,
        facet: { facet: this.facets.labels[best] as Facet, score: q[best]! },
        known: this.intents.known(features.filter((f) => !f.startsWith('len:'))),
      },
    };
  }
}

const facetFeatures = (features: string[], cues: ForeignCueReading) => [...features, ...cues.facets.map((f) => `cue:${f}`)];

/**
 * The models of the languages that are read apart from Japanese (English, Tiếng Việt, 中文): trained only on that
 * language's data, so they never move a Japanese decision, and asked only when a message is written in it.
 */
export class ForeignUnderstanding {
  constructor(private readonly languages: ReadonlyMap<ForeignCode, LanguageModels>) {}

  /** The reading of a message in one of these languages; undefined for Japanese (romaji included) and other text. */
  read(text: string): ForeignRead | undefined {
    const code = understandingLanguage(text);
    if (!code || code === 'ja') return undefined;
    return this.languages.get(code)?.read(text);
  }

  /**
   * Danger named by any language's cues, for a message the Japanese models read because its script did not tell
   * (丈夫拿着刀在家里 has no character only Chinese writes): safety does not wait for the language to be known.
   */
  dangerAnywhere(text: string): ForeignCueReading | undefined {
    for (const m of this.languages.values()) {
      const cues = m.cues.read(text);
      if (cues.named) return cues;
    }
    return undefined;
  }

  get codes(): ForeignCode[] {
    return [...this.languages.keys()];
  }
}

export interface ForeignTraining {
  code: ForeignCode;
  items: readonly Labelled[];
  cues: CuesFile;
}

// Bump when foreignFeatures, facetFeatures or the way samples are made change: part of every cache key.
const RECIPE = 1;

/** Trains each language's models (or loads them from the cache); deterministic for the same items in the same order. */
export function trainForeign(languages: readonly ForeignTraining[], cache?: ModelCache, opts: TrainOptions = DEFAULT_TRAINING): ForeignUnderstanding {
  const models = new Map<ForeignCode, LanguageModels>();
  for (const { code, items, cues } of languages) {
    const reader = new ForeignCues(cues, code);
    const key = (model: string) =>
      modelKey({ model, code, recipe: RECIPE, opts, facetCues: cues.facets, items: items.map((i) => [i.text, i.label, i.facet ?? '']) });
    const intentKey = key('foreign intents: every label');
    const facetKey = key('foreign facets: features + cue facets, items with a facet');
    let intents = cache?.get(intentKey);
    let facets = cache?.get(facetKey);
    if (!intents || !facets) {
      const intentSamples: Sample[] = [];
      const facetSamples: Sample[] = [];
      for (const item of items) {
        const features = foreignFeatures(code, item.text);
        intentSamples.push({ features, label: item.label });
        if (item.facet && !SPECIAL.has(item.label)) facetSamples.push({ features: facetFeatures(features, reader.read(item.text)), label: item.facet });
      }
      // Trained first, then cached: `cache?.set(k, (m = train()))` would skip the training itself without a cache.
      if (!intents) {
        intents = LinearModel.train(intentSamples, opts);
        cache?.set(intentKey, intents);
      }
      if (!facets) {
        facets = LinearModel.train(facetSamples, opts);
        cache?.set(facetKey, facets);
      }
    }
    models.set(code, new LanguageModels(code, intents!, facets!, reader, cues.japaneseWeight));
  }
  return new ForeignUnderstanding(models);
}
