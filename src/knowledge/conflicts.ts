import type { Matcher } from '../nlp/matcher.js';
import type { Analyzer } from '../nlp/analyzer.js';
import type { KnowledgeBase, Problem } from './load.js';

/**
 * Examples the matcher would give to another intent: they teach it the wrong thing. Each is reported
 * with the intent it lands on, so staff can reword it or move it.
 */
export function findConflicts(kb: KnowledgeBase, analyzer: Pick<Analyzer, 'analyze'>, matcher: Matcher): Problem[] {
  const problems: Problem[] = [];
  for (const intent of kb.intents.values())
    for (const [i, example] of intent.examples.entries()) {
      const [best] = matcher.rank(analyzer.analyze(example));
      if (best && best.intent !== intent.id)
        problems.push({ file: `intents/${intent.id}.yaml`, field: `examples.${i}`, message: `例文「${example}」は ${best.intent} に判定されます（言い換えるか、そちらに移してください）` });
    }
  return problems;
}
