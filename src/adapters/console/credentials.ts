/**
 * What a staff account's name and password may be. Shared by the sign-in form, `npm run staff:add` and the local
 * bootstrap account, so the three can never disagree. Messages never repeat the value (it may be a password).
 */

export const PASSWORD_MIN_LENGTH = 10;
const PASSWORD_MAX_LENGTH = 200;
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;

/** Full-width letters and capitals typed on a tablet should still find the account. */
export function normalizeUsername(input: string): string {
  return input.normalize('NFKC').trim().toLowerCase();
}

export function usernameProblem(username: string): string | undefined {
  return USERNAME.test(normalizeUsername(username))
    ? undefined
    : 'ユーザー名は半角の英小文字・数字・「.」「_」「-」で2〜32文字にしてください (2–32 characters: a-z, 0-9, . _ -, starting with a letter or digit)';
}

export function displayNameProblem(name: string): string | undefined {
  const n = name.trim();
  // The name is shown to parents in LINE («子育てコンシェルジュの○○です»), so keep it short and on one line.
  return n.length >= 1 && n.length <= 20 && !/[\r\n\t]/.test(n)
    ? undefined
    : '表示名は1〜20文字で、改行を含めないでください (display name: 1–20 characters, one line)';
}

export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `パスワードは${PASSWORD_MIN_LENGTH}文字以上にしてください (at least ${PASSWORD_MIN_LENGTH} characters)`;
  // scrypt copes with any length, but a megabyte "password" is only a way to make the server work.
  if (password.length > PASSWORD_MAX_LENGTH) return `パスワードは${PASSWORD_MAX_LENGTH}文字以内にしてください (at most ${PASSWORD_MAX_LENGTH} characters)`;
  return undefined;
}
