// Classifies evaluation cases through the same core the webhook uses and prints one decision per line,
// in the format ../shared/eval/score.mjs reads. Conversation state is kept per `user`, in file order.
//   npm run -s classify -- FILE.jsonl > decisions.jsonl
import { readFileSync } from 'node:fs';
import { loadCore } from '../src/core/build-core.js';
import { parseCases, runCases } from '../src/app/evaluation/run-cases.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run -s classify -- FILE.jsonl');
  process.exit(2);
}
const core = await loadCore();
const decisions = await runCases(core.concierge, parseCases(readFileSync(file, 'utf8')));
process.stdout.write(decisions.map((d) => JSON.stringify(d)).join('\n') + '\n');
