import type { RedisClient } from '../stores/redis-client.js';
import type { Config } from '../config/env.js';
import type { Logger } from '../../app/log.js';
import { MemoryAccountStore, RedisAccountStore, addAccount, type AccountStore } from './accounts.js';
import { LoginLimiter, type LoginLimits } from './rate-limit.js';
import { MemorySeenStore, RedisSeenStore, type SeenStore } from './seen.js';
import { MemorySessionStore, RedisSessionStore, type SessionStore } from './sessions.js';
import { MemoryTemplateStore, RedisTemplateStore, type TemplateStore } from './templates.js';

export interface ConsoleStores {
  accounts: AccountStore;
  sessions: SessionStore;
  limiter: LoginLimiter;
  seen: SeenStore;
  templates: TemplateStore;
}

/** Accounts, sessions and sign-in counts in Redis when there is one (shared by every instance), else in memory. */
export function consoleStores(opts: {
  redis?: RedisClient;
  prefix?: string;
  config: Pick<Config, 'consoleSessionHours'> & Partial<Pick<Config, 'transcriptRetentionDays'>>;
  limits?: Partial<LoginLimits>;
}): ConsoleStores {
  const ttlSeconds = opts.config.consoleSessionHours * 3600;
  const { redis, prefix } = opts;
  // A mark says nothing once the conversation it refers to is gone.
  const seenTtl = (opts.config.transcriptRetentionDays ?? 30) * 86_400;
  return {
    accounts: redis ? new RedisAccountStore({ redis, prefix }) : new MemoryAccountStore(),
    sessions: redis ? new RedisSessionStore({ redis, prefix, ttlSeconds }) : new MemorySessionStore({ ttlSeconds }),
    limiter: new LoginLimiter({ redis, prefix, limits: opts.limits }),
    templates: redis ? new RedisTemplateStore({ redis, prefix }) : new MemoryTemplateStore(),
    seen: redis ? new RedisSeenStore({ redis, prefix, ttlSeconds: seenTtl }) : new MemorySeenStore({ ttlSeconds: seenTtl }),
  };
}

/**
 * Local mode has no `npm run staff:add` (it writes to Redis), so the first account comes from the environment.
 * Neither the name nor the password is logged.
 */
export async function bootstrapAccount(accounts: AccountStore, config: Pick<Config, 'consoleBootstrap'>, logger: Logger): Promise<void> {
  const b = config.consoleBootstrap;
  if (!b) return;
  const result = await addAccount(accounts, { username: b.username, name: b.username, password: b.password });
  if (result.ok)
    logger.info({ console: 'bootstrap' }, 'console account created from CONSOLE_BOOTSTRAP_USER / CONSOLE_BOOTSTRAP_PASSWORD (memory only: gone on restart)');
  else logger.warn({ console: 'bootstrap' }, 'console bootstrap account was not created');
}
