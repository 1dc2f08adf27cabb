// `npm run staff:add -- <username> "<表示名>"`, staff:list, staff:remove, staff:passwd — console accounts in Redis.
// The password is asked for without echo on a terminal, or read from STAFF_PASSWORD (or the first line of stdin).
import { createInterface } from 'node:readline';
import { loadConfigOrExit } from '../src/adapters/config/env.js';
import { RedisAccountStore } from '../src/adapters/console/accounts.js';
import { PASSWORD_MIN_LENGTH } from '../src/adapters/console/credentials.js';
import { STAFF_USAGE, runStaffCommand } from '../src/adapters/console/staff-cli.js';
import { createLogger } from '../src/app/log.js';
import { redisFromConfig } from '../src/adapters/stores/index.js';

const args = process.argv.slice(2);
if (!args[0] || args.includes('--help') || args.includes('-h')) {
  console.log(STAFF_USAGE);
  process.exit(args[0] ? 0 : 2);
}

const config = loadConfigOrExit();
const redis = redisFromConfig(config, createLogger({ level: 'warn' }));
if (!redis) {
  console.error(
    'REDIS_URL が設定されていません。アカウントは Redis に保存します（アプリと同じ REDIS_URL または REDIS_CLUSTER_NODES で実行してください）。\n' +
      'Redis なしのローカル実行では、起動時に CONSOLE_BOOTSTRAP_USER と CONSOLE_BOOTSTRAP_PASSWORD で最初のアカウントを作れます。',
  );
  process.exit(1);
}

/** Reads one line from the terminal without showing what is typed. */
function hiddenLine(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stdout.write(prompt);
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    let value = '';
    const finish = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new Error('中止しました (cancelled)'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function firstLineOfStdin(): Promise<string> {
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function password(): Promise<string> {
  if (process.env.STAFF_PASSWORD) return process.env.STAFF_PASSWORD;
  if (!process.stdin.isTTY) return firstLineOfStdin();
  const first = await hiddenLine(`パスワード（${PASSWORD_MIN_LENGTH}文字以上）: `);
  const again = await hiddenLine('もう一度入力してください: ');
  if (first !== again) throw new Error('2回の入力が一致しません (passwords do not match)');
  return first;
}

let code = 1;
try {
  code = await runStaffCommand(args, new RedisAccountStore({ redis }), {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    password,
  });
} catch (e) {
  console.error((e as Error).message);
} finally {
  await redis.quit().catch(() => redis.disconnect());
}
process.exit(code);
