// Validates knowledge/ and intents/ exactly as start-up does and prints every problem with file and field.
//   npm run kb:check
import { KnowledgeBaseError, formatProblems, loadCore } from '../src/bootstrap.js';

try {
  const { kb } = await loadCore();
  const examples = [...kb.intents.values()].reduce((n, i) => n + i.examples.length, 0);
  console.log(`OK: ${kb.entries.size} entries, ${kb.intents.size} intents, ${examples} examples, ${kb.contacts.size} contacts, ${kb.facilities.facilities.length} facilities — no problems found.`);
} catch (e) {
  if (!(e instanceof KnowledgeBaseError)) throw e;
  console.error(`知識ベースに ${e.problems.length} 件の問題があります:\n${formatProblems(e.problems)}`);
  process.exit(1);
}
