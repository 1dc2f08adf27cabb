import type { RedisClient } from '../stores/redis-client.js';
import { z } from 'zod';
import { displayNameProblem, normalizeUsername, passwordProblem, usernameProblem } from './credentials.js';
import { hashPassword, verifyNothing, verifyPassword } from './passwords.js';
import { parseStored } from '../stores/stored-json.js';

export const StaffAccount = z.object({
  /** Sign-in name and the id stored on handoff records (claimedBy, closedBy). */
  username: z.string(),
  /** Shown to colleagues and, on claim, to the parent. */
  name: z.string(),
  passwordHash: z.string(),
  createdAt: z.number(),
  /** Sessions started before this are refused, so a new password signs out every old session. */
  passwordChangedAt: z.number(),
});
export type StaffAccount = z.infer<typeof StaffAccount>;

/** Staff accounts of the console. Memory in local mode, Redis (shared by every instance) otherwise. */
export interface AccountStore {
  /** False when the user name is taken (nothing is written then). */
  create(account: StaffAccount): Promise<boolean>;
  get(username: string): Promise<StaffAccount | undefined>;
  /** Sorted by user name. */
  list(): Promise<StaffAccount[]>;
  setPassword(username: string, passwordHash: string, at: number): Promise<boolean>;
  remove(username: string): Promise<boolean>;
}

export type NewAccountResult = { ok: true; account: StaffAccount } | { ok: false; problem: string };

/** Checks the rules and creates the account; the plain password goes no further than the hash. */
export async function addAccount(
  store: AccountStore,
  input: { username: string; name: string; password: string },
  now = Date.now(),
): Promise<NewAccountResult> {
  const problem = usernameProblem(input.username) ?? displayNameProblem(input.name) ?? passwordProblem(input.password);
  if (problem) return { ok: false, problem };
  const account: StaffAccount = {
    username: normalizeUsername(input.username),
    name: input.name.trim(),
    passwordHash: await hashPassword(input.password),
    createdAt: now,
    passwordChangedAt: now,
  };
  if (!(await store.create(account))) return { ok: false, problem: `ユーザー名「${account.username}」はすでに使われています (user name already exists)` };
  return { ok: true, account };
}

/** The account when the password is right; undefined for a wrong password or an unknown name (same time either way). */
export async function authenticate(store: AccountStore, username: string, password: string): Promise<StaffAccount | undefined> {
  const account = username ? await store.get(normalizeUsername(username)) : undefined;
  if (!account) return verifyNothing(password).then(() => undefined);
  return (await verifyPassword(password, account.passwordHash)) ? account : undefined;
}

export class MemoryAccountStore implements AccountStore {
  private readonly accounts = new Map<string, StaffAccount>();

  async create(account: StaffAccount): Promise<boolean> {
    if (this.accounts.has(account.username)) return false;
    this.accounts.set(account.username, { ...account });
    return true;
  }

  async get(username: string): Promise<StaffAccount | undefined> {
    const a = this.accounts.get(username);
    return a && { ...a };
  }

  async list(): Promise<StaffAccount[]> {
    return [...this.accounts.values()].map((a) => ({ ...a })).sort((a, b) => a.username.localeCompare(b.username));
  }

  async setPassword(username: string, passwordHash: string, at: number): Promise<boolean> {
    const a = this.accounts.get(username);
    if (!a) return false;
    this.accounts.set(username, { ...a, passwordHash, passwordChangedAt: at });
    return true;
  }

  async remove(username: string): Promise<boolean> {
    return this.accounts.delete(username);
  }
}

// Only when the account still exists: a password set for a just-removed name must not bring it back.
const SET_IF_EXISTS = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local a = cjson.decode(raw)
a.passwordHash = ARGV[2]
a.passwordChangedAt = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(a))
return 1`;

/** One Redis hash of user name → account JSON. Accounts do not expire. */
export class RedisAccountStore implements AccountStore {
  private readonly key: string;

  constructor(private readonly opts: { redis: RedisClient; prefix?: string }) {
    this.key = `${opts.prefix ?? 'kc:'}console:accounts`;
  }

  async create(account: StaffAccount): Promise<boolean> {
    return (await this.opts.redis.hsetnx(this.key, account.username, JSON.stringify(account))) === 1;
  }

  async get(username: string): Promise<StaffAccount | undefined> {
    return parseStored(StaffAccount, await this.opts.redis.hget(this.key, username));
  }

  async list(): Promise<StaffAccount[]> {
    const all = await this.opts.redis.hvals(this.key);
    return all.flatMap((raw) => parseStored(StaffAccount, raw) ?? []).sort((a, b) => a.username.localeCompare(b.username));
  }

  async setPassword(username: string, passwordHash: string, at: number): Promise<boolean> {
    return (await this.opts.redis.eval(SET_IF_EXISTS, 1, this.key, username, passwordHash, at)) === 1;
  }

  async remove(username: string): Promise<boolean> {
    return (await this.opts.redis.hdel(this.key, username)) === 1;
  }
}
