import { addAccount, type AccountStore } from './accounts.js';
import { normalizeUsername, passwordProblem } from './credentials.js';
import { hashPassword } from './passwords.js';

export interface StaffCliIo {
  out(line: string): void;
  err(line: string): void;
  /** Asks for the password (hidden on a terminal) or takes it from STAFF_PASSWORD / stdin. */
  password(): Promise<string>;
  now?: () => number;
}

export const STAFF_USAGE = `使い方 / usage:
  npm run staff:add -- <ユーザー名> "<表示名>"   担当者アカウントを作る（パスワードを聞きます。STAFF_PASSWORD でも渡せます）
  npm run staff:list                            アカウントの一覧
  npm run staff:remove -- <ユーザー名>           アカウントを削除する（その人のサインインはすぐ無効になります）
  npm run staff:passwd -- <ユーザー名>           パスワードを変える（その人の他のサインインは無効になります）`;

/** The `npm run staff:*` commands, apart from where the accounts are stored and how the password is read. */
export async function runStaffCommand(args: readonly string[], accounts: AccountStore, io: StaffCliIo): Promise<number> {
  const [command, ...rest] = args;
  const now = io.now ?? Date.now;
  switch (command) {
    case 'add': {
      const [username, name] = rest;
      if (!username || !name || rest.length > 2) return usage(io);
      if (await accounts.get(normalizeUsername(username))) {
        io.err(`ユーザー名「${normalizeUsername(username)}」はすでにあります (already exists)`);
        return 1;
      }
      const result = await addAccount(accounts, { username, name, password: await io.password() }, now());
      if (!result.ok) {
        io.err(result.problem);
        return 1;
      }
      io.out(`作成しました: ${result.account.username}（${result.account.name}）。/console/login からサインインできます。`);
      return 0;
    }
    case 'list': {
      if (rest.length) return usage(io);
      const all = await accounts.list();
      if (!all.length) io.out('アカウントはまだありません。npm run staff:add -- <ユーザー名> "<表示名>" で作ります。');
      for (const a of all) io.out(`${a.username}\t${a.name}\t作成 ${new Date(a.createdAt).toISOString().slice(0, 10)}`);
      return 0;
    }
    case 'remove': {
      const [username] = rest;
      if (!username || rest.length > 1) return usage(io);
      if (!(await accounts.remove(normalizeUsername(username)))) {
        io.err(`ユーザー名「${normalizeUsername(username)}」は見つかりません (not found)`);
        return 1;
      }
      io.out(`削除しました: ${normalizeUsername(username)}`);
      return 0;
    }
    case 'passwd': {
      const [username] = rest;
      if (!username || rest.length > 1) return usage(io);
      const name = normalizeUsername(username);
      if (!(await accounts.get(name))) {
        io.err(`ユーザー名「${name}」は見つかりません (not found)`);
        return 1;
      }
      const password = await io.password();
      const problem = passwordProblem(password);
      if (problem) {
        io.err(problem);
        return 1;
      }
      if (!(await accounts.setPassword(name, await hashPassword(password), now()))) {
        io.err(`ユーザー名「${name}」は見つかりません (not found)`);
        return 1;
      }
      io.out(`パスワードを変えました: ${name}`);
      return 0;
    }
    default:
      return usage(io);
  }
}

function usage(io: StaffCliIo): number {
  io.err(STAFF_USAGE);
  return 2;
}
