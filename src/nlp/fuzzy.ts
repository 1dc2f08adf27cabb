import Fuse, { type IFuseOptions } from 'fuse.js';

export interface FuzzyHit {
  item: string;
  score: number;
}

/**
 * Fuse.js's best fuzzy match for a word among the vocabulary — `new Fuse(vocabulary, options).search(word,
 * { limit: 1 })[0]`, exactly — without running Fuse's bitap over every vocabulary term. That full scan cost ~2 ms
 * per unknown word (a third to a half of a whole decision, most of the core's p99).
 *
 * Why skipping is safe: with ignoreLocation a term matches only through an alignment of the whole pattern
 * (m characters) with k ≤ threshold·m edits, and such an alignment leaves at least (m − 1) − 2k of the pattern's
 * adjacent character pairs intact (the q-gram lemma, q = 2). When that is ≥ 1 — every word of 3+ characters at
 * threshold 0.3 — a term sharing no character pair with the word cannot match. The terms that do share one are
 * searched by Fuse itself, in vocabulary order, so scores and the tie-break (lowest index first) are Fuse's own.
 * Anything the argument does not cover (short words, high thresholds, location-sensitive options) takes the
 * full search.
 */
export class FuzzyVocabulary {
  private readonly full: Fuse<string>;
  /** Lower-cased character pair (UTF-16 code units, as Fuse compares) → indexes of the terms containing it, ascending. */
  private readonly pairs = new Map<string, number[]>();

  constructor(
    private readonly terms: readonly string[],
    private readonly options: IFuseOptions<string> & { threshold: number },
  ) {
    this.full = new Fuse([...terms], options);
    terms.forEach((term, index) => {
      for (const pair of charPairs(this.fold(term))) {
        const list = this.pairs.get(pair);
        if (!list) this.pairs.set(pair, [index]);
        else if (list[list.length - 1] !== index) list.push(index);
      }
    });
  }

  best(word: string): FuzzyHit | undefined {
    const candidates = this.candidates(word);
    if (candidates === 'all') return hit(this.full.search(word, { limit: 1 })[0]);
    if (!candidates.length) return undefined;
    return hit(new Fuse(candidates.map((i) => this.terms[i]!), this.options).search(word, { limit: 1 })[0]);
  }

  /** Indexes (ascending) of the only terms that can match, or 'all' when the pair argument does not apply. */
  candidates(word: string): number[] | 'all' {
    const o = this.options;
    if (o.isCaseSensitive || o.ignoreDiacritics || !o.ignoreLocation || o.findAllMatches || o.useExtendedSearch || o.useTokenSearch) return 'all';
    const pattern = this.fold(word);
    const m = pattern.length;
    if (!pattern.trim() || m > 32) return 'all';
    let k = 0;
    while ((k + 1) / m <= o.threshold) k++;
    if (m - 1 - 2 * k < 1) return 'all';
    const seen = new Set<number>();
    for (const pair of charPairs(pattern)) for (const i of this.pairs.get(pair) ?? []) seen.add(i);
    return [...seen].sort((a, b) => a - b);
  }

  /** Fuse compares lower-cased text unless isCaseSensitive. */
  private fold(s: string): string {
    return s.toLowerCase();
  }
}

function charPairs(s: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
}

const hit = (r: { item: string; score?: number } | undefined): FuzzyHit | undefined => (r && r.score !== undefined ? { item: r.item, score: r.score } : undefined);
