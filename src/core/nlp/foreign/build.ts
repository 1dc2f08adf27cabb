import type { ModelCache } from '../learned/model-cache.js';
import type { TrainingSet } from '../learned/training-data.js';
import { defaultForeignData, type ForeignLanguageData } from './data.js';
import { trainForeign, type ForeignUnderstanding } from './understanding.js';

/**
 * The per-language models: each language's own examples (languages/<code>/_examples.yaml) and the hand-written set
 * of that language among the training sets (training/written/<code>.jsonl), nothing Japanese.
 */
export function buildForeign(
  training: readonly TrainingSet[],
  data: readonly ForeignLanguageData[] = defaultForeignData(),
  cache?: ModelCache,
): ForeignUnderstanding {
  return trainForeign(
    data.map((d) => ({
      code: d.code,
      cues: d.cues,
      items: [...d.examples, ...training.filter((s) => s.name === `written/${d.code}`).flatMap((s) => s.items)],
    })),
    cache,
  );
}
