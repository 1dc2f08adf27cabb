import Fuse from 'fuse.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/bootstrap.js';
import { FuzzyVocabulary } from '../../src/nlp/fuzzy.js';
import { getCore } from '../support/core.js';

// FuzzyVocabulary must give exactly Fuse's own top hit (item and score) while searching only the terms that can
// match. Checked on the real vocabulary with mistyped words made from it (deletions, substitutions, insertions,
// run-ons) and random strings.

const OPTIONS = { includeScore: true, threshold: 0.3, ignoreLocation: true, minMatchCharLength: 2 };

let vocabulary: string[];
beforeAll(async () => {
  const core: Core = await getCore();
  const terms = new Set<string>();
  for (const i of core.kb.intents.values()) for (const t of [...i.examples, ...i.keywords]) core.analyzer.analyze(t).terms.forEach((x) => terms.add(x));
  vocabulary = [...terms].filter((t) => t.length >= 2);
});

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function random(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function mistyped(count: number, seed: number): string[] {
  const rnd = random(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
  const chars = [...new Set(vocabulary.join(''))];
  const out: string[] = [];
  while (out.length < count) {
    let w = [...pick(vocabulary)];
    for (let e = Math.floor(rnd() * 4); e > 0; e--) {
      const at = Math.floor(rnd() * (w.length + 1));
      const r = rnd();
      if (r < 0.33) w.splice(at, 1);
      else if (r < 0.66) w.splice(at, 1, pick(chars));
      else w.splice(at, 0, pick(chars));
    }
    if (rnd() < 0.2) w = [...w, ...pick(vocabulary)];
    if (rnd() < 0.1) w = Array.from({ length: 3 + Math.floor(rnd() * 8) }, () => pick(chars));
    const q = w.join('');
    if (q.length >= 3) out.push(q);
  }
  return out;
}

describe('FuzzyVocabulary', () => {
  it("gives Fuse's own best hit for mistyped and random words", () => {
    const full = new Fuse(vocabulary, OPTIONS);
    const fast = new FuzzyVocabulary(vocabulary, OPTIONS);
    const queries = [...mistyped(1500, 7), 'まいなんばーかーど', 'ほいくえんn', 'ABCほいく', 'xyz'];
    let hits = 0;
    const differences: string[] = [];
    for (const q of queries) {
      const want = full.search(q, { limit: 1 })[0];
      const got = fast.best(q);
      if (want) hits++;
      if (want?.item !== got?.item || want?.score !== got?.score) differences.push(`${q}: ${want?.item}/${want?.score} vs ${got?.item}/${got?.score}`);
    }
    expect(differences).toEqual([]);
    expect(hits).toBeGreaterThan(300);
  });

  it('searches only a small share of the vocabulary for a word of 3+ characters, and everything when the argument does not apply', () => {
    const fast = new FuzzyVocabulary(vocabulary, OPTIONS);
    const shares = mistyped(300, 11).map((q) => fast.candidates(q)).map((c) => (c === 'all' ? 1 : c.length / vocabulary.length));
    expect(shares.reduce((s, x) => s + x, 0) / shares.length).toBeLessThan(0.1);
    expect(fast.candidates('ほ')).toBe('all'); // one character has no character pair
    expect(fast.candidates('zq')).toEqual([]); // two characters, no error allowed: only terms containing "zq"
    expect(new FuzzyVocabulary(vocabulary, { ...OPTIONS, ignoreLocation: false }).candidates('ほいくえん')).toBe('all');
    expect(new FuzzyVocabulary(vocabulary, { ...OPTIONS, threshold: 0.6 }).candidates('ほいくえん')).toBe('all');
  });
});
