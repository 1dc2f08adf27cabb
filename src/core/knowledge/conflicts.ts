import type { Analyzer } from '../nlp/analyzer.js';
import type { Understanding } from '../nlp/learned/understanding.js';
import type { KnowledgeBase, Problem } from './load.js';

const SPECIAL_NAMES: Record<string, string> = { '@emergency': '緊急', '@handoff': '担当者への引き継ぎ' };

/**
 * Examples that contradict what the bot has learned from everything else: a model trained without the knowledge
 * base's examples (the reference) is confident the example means another intent, and gives its own almost nothing.
 * Such an example would teach the wrong thing (「病児保育の料金はいくらですか」 added to greeting). Each is reported
 * with the intent it lands on, so staff can reword it or move it.
 */
export function findConflicts(kb: KnowledgeBase, analyzer: Pick<Analyzer, 'analyze'>, reference: Understanding): Problem[] {
  const problems: Problem[] = [];
  for (const intent of kb.intents.values())
    for (const [i, example] of intent.examples.entries()) {
      const u = reference.read(analyzer.analyze(example));
      // Not @none: the corpus's "other business" is broad, and an example is a service question by being one.
      const scores: [string, number][] = [...u.ranking.map((r): [string, number] => [r.intent, r.score]), ['@emergency', u.emergency], ['@handoff', u.handoff]];
      scores.sort((a, b) => b[1] - a[1]);
      const [landed, p] = scores[0]!;
      const own = scores.find(([id]) => id === intent.id)?.[1] ?? 0;
      if (landed !== intent.id && p >= CONFIDENT && own < OWN_FLOOR)
        problems.push({ file: `intents/${intent.id}.yaml`, field: `examples.${i}`, message: `例文「${example}」は ${SPECIAL_NAMES[landed] ?? landed} に判定されます（言い換えるか、そちらに移してください）` });
    }
  return problems;
}

const CONFIDENT = 0.9;
const OWN_FLOOR = 0.01;

/**
 * What decides a conflict besides the reference model: part of the key under which a passed check is remembered
 * (build-core.ts). Bump `version` when findConflicts or Understanding.read change what they find.
 */
export const CONFLICT_RULES = { version: 1, confident: CONFIDENT, ownFloor: OWN_FLOOR, special: SPECIAL_NAMES, skipped: '@none' };
