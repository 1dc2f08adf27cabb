// A conversation with the bot in the terminal, through the same core as LINE. Type a question; type a
// number to tap one of the listed buttons; /quit to leave.
//   npm run chat
import readline from 'node:readline/promises';
import { loadCore } from '../src/core/build-core.js';
import { ConversationService } from '../src/app/conversation/service.js';
import type { Incoming } from '../src/core/conversation/types.js';
import { MemoryStateStore } from '../src/app/conversation/memory-state-store.js';
import { cliChoices, renderPlainText, type CliChoice } from '../src/adapters/cli/render.js';

const core = await loadCore();
const store = new MemoryStateStore({ ttlSeconds: 1800 });
const service = new ConversationService({ concierge: () => core.concierge, store });
const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
console.log('子育てコンシェルジュ（ターミナル版）です。質問を入力してください。番号でボタンを押せます。終了は /quit');

let choices: CliChoice[] = [];
async function send(message: Incoming) {
  const res = await service.handle('cli-user', message);
  console.log(`\n${renderPlainText(res.replies, res.quickReplies)}\n`);
  choices = cliChoices(res.replies, res.quickReplies);
}

await send({ kind: 'follow' });
for await (const line of rl) {
  const text = line.trim();
  if (text === '/quit' || text === '/exit') break;
  if (!text) continue;
  const picked = /^\d+$/.test(text) ? choices[Number(text) - 1] : undefined;
  if (picked) console.log(`> ${picked.shown}`);
  await send(picked ? picked.incoming : { kind: 'text', text });
}
rl.close();
await store.close();
