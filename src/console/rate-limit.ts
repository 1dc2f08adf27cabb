import { createHash } from 'node:crypto';
import type { RedisClient } from '../storage/redis-client.js';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { normalizeUsername } from './credentials.js';

export interface LoginLimits {
  /** Failed sign-ins allowed for one user name within `windowSeconds` (guessing one account's password). */
  perUser: number;
  /** Failed sign-ins allowed from one address within `windowSeconds` (trying many names). */
  perIp: number;
  windowSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUser: 5, perIp: 20, windowSeconds: 15 * 60 };

/**
 * Counts failed sign-ins per user name and per client address. With Redis the counts are shared, so starting more
 * instances does not multiply an attacker's guesses. Only failures count; a success clears its user name's count.
 */
export class LoginLimiter {
  readonly limits: LoginLimits;
  private readonly user: RateLimiterAbstract;
  private readonly ip: RateLimiterAbstract;

  constructor(opts: { redis?: RedisClient; prefix?: string; limits?: Partial<LoginLimits> } = {}) {
    this.limits = { ...DEFAULT_LOGIN_LIMITS, ...opts.limits };
    const make = (name: string, points: number) => {
      const o = { keyPrefix: `${opts.prefix ?? 'kc:'}console:login-fail:${name}`, points, duration: this.limits.windowSeconds };
      return opts.redis ? new RateLimiterRedis({ ...o, storeClient: opts.redis }) : new RateLimiterMemory(o);
    };
    this.user = make('user', this.limits.perUser);
    this.ip = make('ip', this.limits.perIp);
  }

  /** Seconds until another attempt is allowed, or 0 when it is allowed now. Reads only (cheap under attack). */
  async retryAfter(ip: string, username: string): Promise<number> {
    const [u, i] = await Promise.all([this.user.get(userKey(username)), this.ip.get(ip)]);
    const wait = (res: typeof u, points: number) => (res && res.consumedPoints >= points ? res.msBeforeNext : 0);
    return Math.ceil(Math.max(wait(u, this.limits.perUser), wait(i, this.limits.perIp)) / 1000);
  }

  async failed(ip: string, username: string): Promise<void> {
    // consume() rejects once over the limit; the count is what matters here, not the verdict.
    await Promise.all([this.user.consume(userKey(username)).catch(rejected), this.ip.consume(ip).catch(rejected)]);
  }

  async succeeded(username: string): Promise<void> {
    await this.user.delete(userKey(username));
  }
}

/** A rejection carrying a limiter result is "over the limit"; anything else (Redis down) is a real error. */
function rejected(err: unknown): void {
  if (err instanceof Error) throw err;
}

/** Bounded, uniform keys whatever was typed in the name field. */
const userKey = (username: string) => createHash('sha256').update(normalizeUsername(username)).digest('hex').slice(0, 32);
