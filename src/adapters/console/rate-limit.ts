import { createHash } from 'node:crypto';
import type { RedisClient } from '../stores/redis-client.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { normalizeUsername } from './credentials.js';

export interface LoginLimits {
  /** Sign-in attempts allowed for one user name from one address within `windowSeconds` (guessing a password). */
  perAddressAndUser: number;
  /** Sign-in attempts allowed from one address within `windowSeconds` (trying many names). */
  perIp: number;
  windowSeconds: number;
  /**
   * Failed sign-ins for one user name, from any address, after which every further attempt for that name waits
   * longer (doubling up to `maxDelayMs`): an attack spread over many addresses is slowed, and the account's owner,
   * from their own address, is never locked out by someone else's failures.
   */
  slowAfter: number;
  maxDelayMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAddressAndUser: 5, perIp: 20, windowSeconds: 15 * 60, slowAfter: 10, maxDelayMs: 5000 };

export type Attempt = { allowed: true; delayMs: number } | { allowed: false; retryAfterSeconds: number };

/**
 * Sign-in attempts per (address, user name) and per address, and failures per user name. With Redis the counts are
 * shared, so more instances do not multiply an attacker's guesses. An attempt is counted *before* the password is
 * checked (consume, then check): a burst of parallel attempts cannot all slip past a count read beforehand.
 */
export class LoginLimiter {
  readonly limits: LoginLimits;
  private readonly pair: RateLimiterAbstract;
  private readonly ip: RateLimiterAbstract;
  private readonly userFailures: RateLimiterAbstract;

  constructor(opts: { redis?: RedisClient; prefix?: string; limits?: Partial<LoginLimits> } = {}) {
    this.limits = { ...DEFAULT_LOGIN_LIMITS, ...opts.limits };
    const make = (name: string, points: number) => {
      const o = { keyPrefix: `${opts.prefix ?? 'kc:'}console:login:${name}`, points, duration: this.limits.windowSeconds };
      return opts.redis ? new RateLimiterRedis({ ...o, storeClient: opts.redis }) : new RateLimiterMemory(o);
    };
    this.pair = make('pair', this.limits.perAddressAndUser);
    this.ip = make('ip', this.limits.perIp);
    // Counted, never refused: only the delay derives from it.
    this.userFailures = make('user-fail', Number.MAX_SAFE_INTEGER);
  }

  /** Counts this attempt and says whether it may go on (and after how long a wait), or how long until one may. */
  async attempt(ip: string, username: string): Promise<Attempt> {
    const [pair, address, failures] = await Promise.all([
      consume(this.pair, pairKey(ip, username)),
      consume(this.ip, ip),
      this.userFailures.get(userKey(username)),
    ]);
    const over = [pair, address].filter((r) => r.over);
    if (over.length) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...over.map((r) => r.res.msBeforeNext)) / 1000)) };
    const extra = (failures?.consumedPoints ?? 0) - this.limits.slowAfter;
    return { allowed: true, delayMs: extra <= 0 ? 0 : Math.min(this.limits.maxDelayMs, 250 * 2 ** Math.min(extra - 1, 16)) };
  }

  async failed(username: string): Promise<void> {
    await this.userFailures.consume(userKey(username));
  }

  /** The owner got in: their address's attempts for the name and the name's failures start again from zero. */
  async succeeded(ip: string, username: string): Promise<void> {
    await Promise.all([this.pair.delete(pairKey(ip, username)), this.userFailures.delete(userKey(username)), this.ip.reward(ip, 1)]);
  }
}

/** consume(), with "over the limit" as a value; anything else (Redis down) stays an error. */
async function consume(limiter: RateLimiterAbstract, key: string): Promise<{ over: boolean; res: RateLimiterRes }> {
  try {
    return { over: false, res: await limiter.consume(key) };
  } catch (err) {
    if (err instanceof RateLimiterRes) return { over: true, res: err };
    throw err;
  }
}

/** Bounded, uniform keys whatever was typed in the name field. */
const userKey = (username: string) => createHash('sha256').update(normalizeUsername(username)).digest('hex').slice(0, 32);
const pairKey = (ip: string, username: string) =>
  createHash('sha256')
    .update(`${ip}\n${normalizeUsername(username)}`)
    .digest('hex')
    .slice(0, 32);
