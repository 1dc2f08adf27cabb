// Prints every example phrase as a JSON line {"intent", "text"}.
//   npm run -s kb:export-examples > examples.jsonl
import { formatProblems } from '../src/core/build-core.js';
import { loadKnowledgeBase } from '../src/core/knowledge/load.js';

const { kb, problems } = loadKnowledgeBase();
if (!kb) {
  console.error(formatProblems(problems));
  process.exit(1);
}
const lines: string[] = [];
for (const i of kb.intents.values()) for (const text of i.examples) lines.push(JSON.stringify({ intent: i.id, text }));
process.stdout.write(lines.join('\n') + '\n');
