// How the decision thresholds (src/core/conversation/policy.ts) trade answers against mistakes, measured the honest way: each
// writer's corpus file is run by a core trained without it, once per combination of the values given. The current
// thresholds were chosen with it: the most in-scope answers with wrong answers, false emergencies and missed
// emergencies where issue 15 wants them.
//   npm run -s eval:tune -- '{"answer":[0.3,0.45],"margin":[0.1,0.15]}'
import { readFileSync } from 'node:fs';
import { buildCore, sharedTokenizerLoad } from '../src/core/build-core.js';
import { Concierge } from '../src/core/conversation/concierge.js';
import { DEFAULT_THRESHOLDS, type PolicyThresholds } from '../src/core/conversation/policy.js';
import { parseCases, runCases } from '../src/app/evaluation/run-cases.js';
import { scoreDecisions, type ScoredCase } from '../src/core/evaluation/score.js';
import { defaultDirs, loadKnowledgeBase } from '../src/core/knowledge/load.js';
import { defaultTrainingSets } from '../src/core/nlp/learned/training-data.js';

const grid = JSON.parse(process.argv[2] ?? '{}') as Partial<Record<keyof PolicyThresholds, number[]>>;
const { tokenizer } = await sharedTokenizerLoad();
const { kb } = loadKnowledgeBase(defaultDirs());
if (!kb) throw new Error('the knowledge base does not load: run npm run kb:check');
const sets = defaultTrainingSets();
const folds = sets
  .filter((s) => s.name.startsWith('corpus/'))
  .map((s) => ({
    name: s.name.replace('corpus/', ''),
    cases: parseCases(readFileSync(`training/${s.name}.jsonl`, 'utf8')) as ScoredCase[],
    core: buildCore(kb, tokenizer, 0, { training: sets.filter((t) => t !== s) }),
  }));

let combos: Partial<PolicyThresholds>[] = [{}];
for (const [key, values] of Object.entries(grid)) combos = combos.flatMap((c) => values!.map((v) => ({ ...c, [key]: v })));
const f = (x: number | null) => (x === null ? '—' : x.toFixed(1).padStart(5));
console.log('thresholds | per file: in-scope facet @none @handoff @emergency false-emergency wrong');
for (const combo of combos) {
  const cells: string[] = [];
  for (const { name, cases, core } of folds) {
    const concierge = new Concierge({
      kb: core.kb,
      analyzer: core.analyzer,
      understanding: core.understanding,
      // English, Tiếng Việt and 中文 messages are read by their own models, as in the product and npm run eval.
      foreign: core.foreign,
      thresholds: { ...DEFAULT_THRESHOLDS, ...combo },
    });
    const s = scoreDecisions(cases, await runCases(concierge, cases));
    cells.push(
      `${name}: ${[s.in_scope_accuracy, s.facet_accuracy, s.none_recall, s.handoff_recall, s.emergency_recall, s.false_emergency_rate, s.wrong_answer_rate].map(f).join(' ')}`,
    );
  }
  console.log(JSON.stringify(combo), '|', cells.join(' | '));
}
