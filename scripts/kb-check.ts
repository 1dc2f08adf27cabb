// Validates knowledge/ and intents/ the way start-up does and prints every problem with file and field.
//   npm run kb:check
import { buildCore, formatProblems, sharedTokenizerLoad } from '../src/bootstrap.js';
import { findConflicts } from '../src/knowledge/conflicts.js';
import { loadKnowledgeBase } from '../src/knowledge/load.js';

const { kb, problems } = loadKnowledgeBase();
if (!kb) {
  console.error(`知識ベースに ${problems.length} 件の問題があります:\n${formatProblems(problems)}`);
  process.exit(1);
}
const { tokenizer } = await sharedTokenizerLoad();
const core = buildCore(kb, tokenizer);
const conflicts = findConflicts(kb, core.analyzer, core.matcher);
if (conflicts.length) {
  console.error(`例文の衝突が ${conflicts.length} 件あります:\n${formatProblems(conflicts)}`);
  process.exit(1);
}
const examples = [...kb.intents.values()].reduce((n, i) => n + i.examples.length, 0);
console.log(`OK: ${kb.entries.size} entries, ${kb.intents.size} intents, ${examples} examples, ${kb.contacts.size} contacts — no problems found.`);
