import type { IntentFile } from '../knowledge/schema.js';
import type { Analysis, Analyzer } from './analyzer.js';
import { FuzzyVocabulary } from './fuzzy.js';

export interface IntentScore {
  intent: string;
  /** Combined confidence in [0, 1]. */
  score: number;
  /** Best weighted token overlap with one of the intent's examples. */
  example: number;
  /** Strength of the intent's keywords found in the text. */
  keyword: number;
  /** Similarity to all of the intent's examples taken together. */
  centroid: number;
  /** Keywords of this intent found in the text. */
  hits: string[];
}

export interface MatcherOptions {
  /** Weights of example and centroid similarity (they sum to 1) and how far keywords lift the result. */
  exampleWeight: number;
  centroidWeight: number;
  keywordWeight: number;
  /** Fuse threshold for mapping an unknown (mistyped) word onto the vocabulary. */
  fuzzyThreshold: number;
  /**
   * Weight of a word no intent has ever seen, as a share of the rarest known word's weight. It counts in the
   * message's length: 「市民プールは何時まで」 is mostly about something the knowledge base does not cover.
   */
  unknownWeight: number;
}

const DEFAULTS: MatcherOptions = { exampleWeight: 0.55, centroidWeight: 0.45, keywordWeight: 0.3, fuzzyThreshold: 0.3, unknownWeight: 0.5 };

interface Keyword {
  text: string;
  folded: string;
  reading: string;
  intents: string[];
  /** How specific the phrase is: low when many intents' examples use it (保育園), high when few do. */
  weight: number;
}

/**
 * Scores every intent for one analysed message. Two kinds of evidence:
 * - TF-IDF cosine between the message's terms and each example's terms (inverted index, so only examples
 *   sharing a term are visited);
 * - keywords found as phrases in the text or in its reading, weighted by how few intents share them.
 * Fuse.js maps words the vocabulary has never seen (typos, odd spellings) onto the nearest known term.
 */
export class Matcher {
  /** Per example: its intent (as an index into intentIds) and its vector's norm; terms point at examples. */
  private readonly docIntent: Int32Array;
  private readonly docNorm: Float64Array;
  private readonly postings = new Map<string, { docs: Int32Array; weights: Float64Array }>();
  /** One document per intent, all its examples together: term → [intent index, weight], and each one's norm. */
  private readonly centroidPostings = new Map<string, [number, number][]>();
  private readonly centroidNorm: Float64Array;
  /** Reused by every rank() (dot products per example; which ones are non-zero). */
  private readonly scratch: { dots: Float64Array; touched: Int32Array };
  private readonly idf = new Map<string, number>();
  private maxIdf = 0;
  private readonly keywords: Keyword[] = [];
  /** Keyword positions by their first character, in the text and in the reading: each message visits a few, not all. */
  private readonly keywordsByHead = new Map<string, number[]>();
  private readonly readingsByHead = new Map<string, number[]>();
  private readonly fuzzy: FuzzyVocabulary;
  private readonly intentIds: string[];
  private readonly opts: MatcherOptions;

  /** The analyzer is only used here, to index the examples and keywords; it is not kept. */
  constructor(analyzer: Pick<Analyzer, 'analyze'>, intents: Iterable<IntentFile>, opts: Partial<MatcherOptions> = {}) {
    this.opts = { ...DEFAULTS, ...opts };
    const list = [...intents];
    this.intentIds = list.map((i) => i.id);
    const perIntentTerms = new Map<string, Set<string>>();
    const exampleTerms: { intent: string; terms: string[] }[] = [];
    const keywordIndex = new Map<string, Keyword>();
    // Each example's folded text without spaces, for keyword specificity below (kept from the one analysis).
    const foldedExamples: { id: string; texts: string[] }[] = [];

    for (const intent of list) {
      const seen = new Set<string>();
      const texts: string[] = [];
      for (const ex of intent.examples) {
        const a = analyzer.analyze(ex);
        exampleTerms.push({ intent: intent.id, terms: a.terms });
        a.terms.forEach((t) => seen.add(t));
        texts.push(a.folded.replace(/\s+/g, ''));
      }
      foldedExamples.push({ id: intent.id, texts });
      for (const kw of intent.keywords) {
        const a = analyzer.analyze(kw);
        a.terms.forEach((t) => seen.add(t));
        const folded = a.folded.replace(/\s+/g, '');
        if (!folded) continue;
        const k = keywordIndex.get(folded) ?? { text: kw, folded, reading: a.reading, intents: [], weight: 1 };
        if (!k.intents.includes(intent.id)) k.intents.push(intent.id);
        keywordIndex.set(folded, k);
      }
      perIntentTerms.set(intent.id, seen);
    }
    this.keywords = [...keywordIndex.values()];
    const index = (by: Map<string, number[]>, head: string, i: number) => by.set(head, [...(by.get(head) ?? []), i]);
    this.keywords.forEach((k, i) => {
      index(this.keywordsByHead, k.folded[0]!, i);
      if (k.reading.length >= 4) index(this.readingsByHead, k.reading[0]!, i);
    });
    const n = list.length;
    for (const k of this.keywords) {
      const users = foldedExamples.filter((i) => i.texts.some((t) => t.includes(k.folded))).map((i) => i.id);
      const spread = new Set([...users, ...k.intents]).size;
      k.weight = Math.log(1 + n / spread) / Math.log(1 + n);
    }

    const df = new Map<string, number>();
    for (const terms of perIntentTerms.values()) for (const t of terms) df.set(t, (df.get(t) ?? 0) + 1);
    for (const [t, d] of df) this.idf.set(t, Math.log(1 + n / d));
    this.maxIdf = Math.max(0, ...this.idf.values());

    const counts = new Map<string, Map<string, number>>();
    for (const { intent, terms } of exampleTerms) {
      const c = counts.get(intent) ?? new Map<string, number>();
      for (const t of new Set(terms)) c.set(t, (c.get(t) ?? 0) + 1);
      counts.set(intent, c);
    }
    const intentIndex = new Map(this.intentIds.map((id, i) => [id, i]));
    this.centroidNorm = new Float64Array(this.intentIds.length);
    for (const [intent, c] of counts) {
      // Sub-linear term frequency: a word in many of the intent's examples counts more, but not linearly.
      const weights = new Map([...c].map(([t, f]) => [t, (1 + Math.log(f)) * (this.idf.get(t) ?? 0)] as const));
      const norm = Math.sqrt([...weights.values()].reduce((s, w) => s + w * w, 0));
      if (!norm) continue;
      const i = intentIndex.get(intent)!;
      this.centroidNorm[i] = norm;
      for (const [t, w] of weights) this.centroidPostings.set(t, [...(this.centroidPostings.get(t) ?? []), [i, w]]);
    }
    for (const list of this.centroidPostings.values()) list.sort((x, y) => x[0] - y[0]);

    const docs: { intent: number; norm: number }[] = [];
    const postings = new Map<string, { docs: number[]; weights: number[] }>();
    for (const { intent, terms } of exampleTerms) {
      const weights = new Map<string, number>();
      for (const t of new Set(terms)) weights.set(t, this.idf.get(t) ?? 0);
      const norm = Math.sqrt([...weights.values()].reduce((s, w) => s + w * w, 0));
      if (!norm) continue;
      const idx = docs.push({ intent: intentIndex.get(intent)!, norm }) - 1;
      for (const [t, w] of weights) {
        const p = postings.get(t) ?? { docs: [], weights: [] };
        p.docs.push(idx);
        p.weights.push(w);
        postings.set(t, p);
      }
    }
    this.docIntent = Int32Array.from(docs, (d) => d.intent);
    this.docNorm = Float64Array.from(docs, (d) => d.norm);
    for (const [t, p] of postings) this.postings.set(t, { docs: Int32Array.from(p.docs), weights: Float64Array.from(p.weights) });
    this.scratch = { dots: new Float64Array(docs.length), touched: new Int32Array(docs.length) };
    // Fuzzy lookup over the vocabulary only (a few thousand short strings), never over whole examples, and
    // only over the terms that can match at all (see FuzzyVocabulary): a small fraction of a millisecond.
    this.fuzzy = new FuzzyVocabulary([...df.keys()].filter((t) => t.length >= 2), {
      includeScore: true,
      threshold: this.opts.fuzzyThreshold,
      ignoreLocation: true,
      minMatchCharLength: 2,
    });
  }

  /** Every intent with any evidence, best first. */
  rank(a: Analysis): IntentScore[] {
    const { weights: query, unknownMass } = this.queryWeights(a);
    const qNorm = Math.sqrt([...query.values()].reduce((s, w) => s + w * w, 0) + unknownMass);
    const nIntents = this.intentIds.length;
    const first = new Float64Array(nIntents);
    const second = new Float64Array(nIntents);
    const centroid = new Float64Array(nIntents);
    if (qNorm > 0) {
      // Dot products with every example sharing a term, in flat arrays (this runs for every message).
      const { dots, touched } = this.scratch;
      let n = 0;
      for (const [t, w] of query) {
        const p = this.postings.get(t);
        if (!p) continue;
        for (let j = 0; j < p.docs.length; j++) {
          const d = p.docs[j]!;
          if (dots[d] === 0) touched[n++] = d;
          dots[d] = dots[d]! + w * p.weights[j]!;
        }
      }
      for (let j = 0; j < n; j++) {
        const d = touched[j]!;
        const cos = dots[d]! / (qNorm * this.docNorm[d]!);
        dots[d] = 0;
        const i = this.docIntent[d]!;
        if (cos > first[i]!) {
          second[i] = first[i]!;
          first[i] = cos;
        } else if (cos > second[i]!) second[i] = cos;
      }
      for (const [t, w] of query) for (const [i, cw] of this.centroidPostings.get(t) ?? []) centroid[i] = centroid[i]! + w * cw;
      for (let i = 0; i < nIntents; i++) centroid[i] = centroid[i]! > 0 ? centroid[i]! / (qNorm * this.centroidNorm[i]!) : 0;
    }

    const kwSum = new Map<string, number>();
    const hits = new Map<string, string[]>();
    for (const k of this.keywordsIn(a.folded.replace(/\s+/g, ''), a.reading)) {
      const strength = (Math.min(1, k.folded.length / 3) * k.weight) / k.intents.length;
      for (const id of k.intents) {
        kwSum.set(id, (kwSum.get(id) ?? 0) + strength);
        hits.set(id, [...(hits.get(id) ?? []), k.text]);
      }
    }

    const out: IntentScore[] = [];
    for (let i = 0; i < nIntents; i++) {
      const intent = this.intentIds[i]!;
      // The best example, steadied by the runner-up so one lucky example cannot carry an intent alone.
      const example = 0.75 * first[i]! + 0.25 * second[i]!;
      const cen = centroid[i]!;
      const keyword = 1 - Math.exp(-1.5 * (kwSum.get(intent) ?? 0));
      if (example === 0 && keyword === 0 && cen === 0) continue;
      const o = this.opts;
      const base = o.exampleWeight * example + o.centroidWeight * cen;
      // A distinctive keyword is strong evidence on its own (「#8000ってなに？」), so it lifts the score
      // towards 1 instead of adding a small share.
      const score = base + (1 - base) * o.keywordWeight * keyword;
      out.push({ intent, score, example, keyword, centroid: cen, hits: hits.get(intent) ?? [] });
    }
    return out.sort((x, y) => y.score - x.score);
  }

  /** Keywords found in the text, or (for readings of four kana or more) in its reading; in index order. */
  private keywordsIn(compact: string, reading: string): Keyword[] {
    const found = new Set<number>();
    const scan = (text: string, by: Map<string, number[]>, of: (k: Keyword) => string) => {
      for (let at = 0; at < text.length; at++) {
        const candidates = by.get(text[at]!);
        if (candidates) for (const i of candidates) if (!found.has(i) && text.startsWith(of(this.keywords[i]!), at)) found.add(i);
      }
    };
    scan(compact, this.keywordsByHead, (k) => k.folded);
    scan(reading, this.readingsByHead, (k) => k.reading);
    return [...found].sort((x, y) => x - y).map((i) => this.keywords[i]!);
  }

  /** The message's terms weighted by IDF; unknown words replaced by their nearest vocabulary term. */
  private queryWeights(a: Analysis): { weights: Map<string, number>; unknownMass: number } {
    const q = new Map<string, number>();
    let unknownMass = 0;
    const unknown = this.maxIdf * this.opts.unknownWeight;
    for (const t of a.terms) {
      const idf = this.idf.get(t);
      if (idf !== undefined) {
        q.set(t, Math.max(q.get(t) ?? 0, idf));
        continue;
      }
      // A short unknown word is too often a different word, not a typo (監視 is not 感謝): only longer ones are mapped.
      const hit = t.length >= 4 ? this.fuzzy.best(t) : undefined;
      if (hit) {
        const w = (this.idf.get(hit.item) ?? 0) * (1 - hit.score);
        q.set(hit.item, Math.max(q.get(hit.item) ?? 0, w));
      } else if (t.length >= 2) unknownMass += unknown * unknown;
    }
    return { weights: q, unknownMass };
  }
}
