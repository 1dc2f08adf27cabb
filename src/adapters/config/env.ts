import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { TRANSLATION_PROVIDERS, type TranslationProvider } from '../../app/translation/machine-translator.js';
import { parseOfficeWindow } from '../../core/calendar/office-hours.js';
import { normalizeUsername, passwordProblem, usernameProblem } from '../console/credentials.js';

/** pino's level names; `silent` turns logging off (tests). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_LINE_API_BASE_URL = 'https://api.line.me';

export interface RedisClusterNode {
  host: string;
  port: number;
}

/** `FOO=` in a .env file means "not set", not "set to the empty string". */
const optionalString = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().optional());

const integerIn = (min: number, max: number, fallback: number) => (name: string) =>
  z.preprocess(
    (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? undefined : v),
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return fallback;
        const n = /^\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN;
        if (!Number.isSafeInteger(n) || n < min || n > max) {
          ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max} (got "${v}")` });
          return z.NEVER;
        }
        return n;
      }),
  );

const redisUrl = optionalString.superRefine((v, ctx) => {
  if (v === undefined) return;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    // Never echo the value: it may carry a password.
    ctx.addIssue({ code: 'custom', message: 'REDIS_URL is not a valid URL (expected redis://[user:password@]host:port/db)' });
    return;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    ctx.addIssue({ code: 'custom', message: `REDIS_URL must start with redis:// or rediss:// (got ${url.protocol}//)` });
});

/**
 * `host:port,host:port,…` (IPv6 as `[::1]:7000`): a few nodes of the cluster are enough, the client learns the rest.
 * No credentials here: node addresses only.
 */
const redisClusterNodes = optionalString.transform((v, ctx): RedisClusterNode[] | undefined => {
  if (v === undefined) return undefined;
  const nodes: RedisClusterNode[] = [];
  const bad: string[] = [];
  for (const entry of v.split(',').map((e) => e.trim())) {
    if (!entry) continue;
    const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(entry);
    const port = m ? Number(m[2]) : 0;
    if (!m || port < 1 || port > 65_535) bad.push(entry);
    else nodes.push({ host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port });
  }
  if (bad.length || !nodes.length) {
    const got = bad.length ? `got "${bad.join('", "')}"` : 'got no nodes';
    ctx.addIssue({ code: 'custom', message: `REDIS_CLUSTER_NODES must be a comma-separated list of host:port, e.g. 10.0.0.1:7000,10.0.0.2:7000 (${got})` });
    return z.NEVER;
  }
  return nodes;
});

/**
 * The SDK builds request URLs with `new URL('/v2/bot/...', baseURL)`, so any path in the base URL is silently
 * dropped (docs/line-platform.md 2.4). Reject it here instead of sending requests somewhere unexpected.
 */
const lineApiBaseUrl = optionalString.transform((v, ctx) => {
  if (v === undefined) return DEFAULT_LINE_API_BASE_URL;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: `LINE_API_BASE_URL is not a valid URL (got "${v}"; expected e.g. https://api.line.me)` });
    return z.NEVER;
  }
  const problems: string[] = [];
  if (url.protocol !== 'https:' && url.protocol !== 'http:') problems.push(`it must start with https:// or http:// (got ${url.protocol}//)`);
  if (url.username || url.password) problems.push('it must not contain a user name or password');
  if (url.pathname !== '/' && url.pathname !== '')
    problems.push(
      `it must not have a path (got "${url.pathname}"): the LINE SDK drops any path, so give only scheme, host and port, e.g. http://127.0.0.1:9999`,
    );
  if (url.search || url.hash) problems.push('it must not have a query string or #fragment');
  if (problems.length) {
    ctx.addIssue({ code: 'custom', message: `LINE_API_BASE_URL: ${problems.join('; ')}` });
    return z.NEVER;
  }
  return url.origin;
});

const logLevel = optionalString.transform((v, ctx) => {
  if (v === undefined) return 'info' as LogLevel;
  const level = v.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    ctx.addIssue({ code: 'custom', message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${v}")` });
    return z.NEVER;
  }
  return level as LogLevel;
});

const officeHours = optionalString.transform((v, ctx) => {
  const window = parseOfficeWindow(v ?? '08:30-17:15');
  if (!window) {
    ctx.addIssue({ code: 'custom', message: `OFFICE_HOURS must look like 08:30-17:15, opening before closing (got "${v}")` });
    return z.NEVER;
  }
  return window;
});

const publicBaseUrl = optionalString.superRefine((v, ctx) => {
  if (v !== undefined && !/^https?:\/\/[^\s]+$/.test(v)) ctx.addIssue({ code: 'custom', message: `PUBLIC_BASE_URL must be an http(s) URL (got "${v}")` });
});

const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * A hop count (1 = one reverse proxy in front) or a list of proxy addresses. `true` is refused: it would trust an
 * X-Forwarded-For written by anyone, and so let anyone pick the address their sign-in attempts are counted under.
 */
const trustProxy = optionalString.transform((v, ctx): false | number | string => {
  if (v === undefined || v.trim() === 'false' || v.trim() === '0') return false;
  const t = v.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n <= 10) return n;
  } else if (t !== 'true') {
    const parts = t.split(',').map((p) => p.trim());
    const ok = parts.every((p) => PROXY_KEYWORDS.has(p) || (isIP(p.split('/')[0] ?? '') !== 0 && /^[^/]+(\/\d{1,3})?$/.test(p)));
    if (ok) return parts.join(',');
  }
  ctx.addIssue({
    code: 'custom',
    message: `TRUST_PROXY must be the number of proxies in front of the app (e.g. 1), or their addresses/CIDRs or loopback, linklocal, uniquelocal, comma-separated (got "${v}")`,
  });
  return z.NEVER;
});

/**
 * One environment variable: its name and how it is read. `read(name)` builds the zod schema, so messages can name
 * the variable without writing the name a second time.
 */
interface Setting<T> {
  env: string;
  read: (name: string) => z.ZodType<T, unknown>;
}
const setting = <T>(env: string, read: ((name: string) => z.ZodType<T, unknown>) | z.ZodType<T, unknown>): Setting<T> => ({
  env,
  read: typeof read === 'function' ? read : () => read,
});

const flag = (name: string) =>
  optionalString.transform((v, ctx) => {
    if (v === undefined || v === '0' || v === 'false') return false;
    if (v === '1' || v === 'true') return true;
    ctx.addIssue({ code: 'custom', message: `${name} must be 1 or 0 (got "${v}")` });
    return z.NEVER;
  });

/**
 * Every variable the process reads, each written once: the configuration's field, the variable's name, and how it
 * is checked. `Config` is derived from this table; `.env.example` lists the same names (a test holds them equal).
 */
const SETTINGS = {
  port: setting('PORT', integerIn(0, 65_535, 3000)),
  /**
   * The address the server listens on. Default: every interface with LINE credentials; only this machine
   * (127.0.0.1) in local mode, whose /local/messages and simulator pages must not be readable from elsewhere.
   */
  host: setting(
    'HOST',
    optionalString.refine((v) => v === undefined || isIP(v) !== 0 || v === 'localhost', {
      message: 'HOST must be an IP address (e.g. 0.0.0.0 or 127.0.0.1) or localhost',
    }),
  ),
  /** redis:// or rediss:// URL; absent → conversation state is kept in memory. */
  redisUrl: setting('REDIS_URL', redisUrl),
  /** Redis Cluster seed nodes; when set, a cluster client is used and redisUrl is ignored. */
  redisClusterNodes: setting('REDIS_CLUSTER_NODES', redisClusterNodes),
  lineChannelSecret: setting('LINE_CHANNEL_SECRET', optionalString),
  lineChannelAccessToken: setting('LINE_CHANNEL_ACCESS_TOKEN', optionalString),
  /** Scheme + host (+ port) only, no trailing slash, e.g. https://api.line.me or http://127.0.0.1:9999. */
  lineApiBaseUrl: setting('LINE_API_BASE_URL', lineApiBaseUrl),
  stateTtlSeconds: setting('STATE_TTL_SECONDS', integerIn(1, 30 * 86_400, 1800)),
  logLevel: setting('LOG_LEVEL', logLevel),
  /** Office window in Japan time, e.g. 08:30-17:15 (weekdays; holidays and 12/29–1/3 closed). */
  officeHours: setting('OFFICE_HOURS', officeHours),
  /** A conversation with staff returns to the bot after this long without messages. */
  handoffIdleMinutes: setting('HANDOFF_IDLE_MINUTES', integerIn(1, 7 * 24 * 60, 60)),
  /**
   * SIGTERM: how long events in flight may take to finish before the process exits anyway, leaving what is
   * unfinished queued in Redis for the next instance (a hung LINE API must not keep a deploy waiting).
   */
  shutdownDrainSeconds: setting('SHUTDOWN_DRAIN_SECONDS', integerIn(1, 120, 10)),
  /**
   * A directory of this app's own where handoffs and erases promised to parents while Redis is away are kept until
   * they are done, so that they outlive a shutdown or a crash (files 0600, removed as soon as nothing waits).
   * Unset: kept in memory only, and what a shutdown cannot finish is counted in the log.
   */
  spoolDir: setting(
    'SPOOL_DIR',
    optionalString.transform((v) => (v === undefined ? undefined : path.resolve(v))),
  ),
  /** A promise still waiting after this long is given up (logged; an erase is reported to the parent). */
  spoolRetentionHours: setting('SPOOL_RETENTION_HOURS', integerIn(1, 720, 24)),
  /**
   * How often an instance looks for what a stopped or dead instance left: event queues in Redis whose lock has
   * expired, and promises in SPOOL_DIR whose owner stopped renewing them.
   */
  rescanSeconds: setting('RESCAN_SECONDS', integerIn(1, 3600, 30)),
  /** Transcripts and handoff records are deleted this long after their last write. */
  transcriptRetentionDays: setting('TRANSCRIPT_RETENTION_DAYS', integerIn(1, 365, 30)),
  /**
   * How often the source watch fetches every page the knowledge base cites (conditional requests, one instance at a
   * time); 0 turns it off.
   */
  sourceWatchHours: setting('SOURCE_WATCH_HOURS', integerIn(0, 24 * 30, 24)),
  /** Per page: how long the watch waits for an answer (headers and body). */
  sourceWatchTimeoutSeconds: setting('SOURCE_WATCH_TIMEOUT_SECONDS', integerIn(1, 120, 15)),
  /** Pages fetched at once (most are on the city's one server). */
  sourceWatchConcurrency: setting('SOURCE_WATCH_CONCURRENCY', integerIn(1, 16, 3)),
  /** LINE group that is told about new handoffs (optional). */
  lineStaffGroupId: setting('LINE_STAFF_GROUP_ID', optionalString),
  /**
   * Machine translation of staff replies to a parent who reads another language, and of their messages for staff:
   * `deepl` or `google` (unset: none; the console then offers cards in the parent's language and templates).
   */
  translationProvider: setting(
    'TRANSLATION_PROVIDER',
    (name) =>
      optionalString.refine((v) => v === undefined || (TRANSLATION_PROVIDERS as readonly string[]).includes(v), {
        message: `${name} must be one of ${TRANSLATION_PROVIDERS.join(', ')}`,
      }) as z.ZodType<TranslationProvider | undefined, unknown>,
  ),
  /** The provider's API key (secret: never logged). */
  translationApiKey: setting('TRANSLATION_API_KEY', optionalString),
  /** The provider's address when not its usual one (a proxy, or a local stub in tests). */
  translationApiUrl: setting(
    'TRANSLATION_API_URL',
    (name) =>
      optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s/]+(\/\S*)?$/.test(v), { message: `${name} must be an http(s) URL` }) as z.ZodType<
        string | undefined,
        unknown
      >,
  ),
  /** Public base URL of this app, for links to the console in staff alerts (optional). */
  publicBaseUrl: setting('PUBLIC_BASE_URL', publicBaseUrl),
  /** Bearer token for GET /metrics; unset → /metrics answers only requests from this machine. */
  metricsToken: setting('METRICS_TOKEN', optionalString),
  /** A console session ends after this long without a request (sliding). */
  consoleSessionHours: setting('CONSOLE_SESSION_HOURS', integerIn(1, 168, 12)),
  /**
   * Express's `trust proxy`: which proxies may tell us the client's address and scheme (X-Forwarded-For/-Proto).
   * Decides the address sign-in attempts are counted per and whether the session cookie is marked Secure.
   */
  trustProxy: setting('TRUST_PROXY', trustProxy),
  /** The development set a knowledge-base publish must still pass (default training/dev.jsonl, the repository's copy). */
  kbEvalFile: setting(
    'KB_EVAL_FILE',
    optionalString.transform((v) => path.resolve(v ?? 'training/dev.jsonl')),
  ),
  /** Local debugging only (refused with LINE credentials): log what people wrote, at debug level. */
  logMessageText: setting('LOG_MESSAGE_TEXT', flag),
  /**
   * First console account, created at start-up when there is no Redis (local mode). Secret: never logged. With
   * Redis, accounts are made with `npm run staff:add`. Checked together below, so the password is never echoed.
   */
  consoleBootstrapUser: setting('CONSOLE_BOOTSTRAP_USER', z.string().optional()),
  consoleBootstrapPassword: setting('CONSOLE_BOOTSTRAP_PASSWORD', z.string().optional()),
};

type Settings = { [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K] extends Setting<infer T> ? T : never };

/** The names of every variable the process reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.values(SETTINGS).map((s) => s.env);

/** The process configuration, read once at start-up from the environment. */
export type Config = Omit<Settings, 'host' | 'lineChannelSecret' | 'lineChannelAccessToken' | 'consoleBootstrapUser' | 'consoleBootstrapPassword'> & {
  host: string;
  /** Set only in line mode (both present). */
  lineChannelSecret?: string;
  lineChannelAccessToken?: string;
  /** 'line' when both LINE credentials are set; 'local' when neither is (local simulator, no calls to LINE). */
  lineMode: 'line' | 'local';
  consoleBootstrap?: { username: string; password: string };
};

/** Both or neither; checked here so the password is never echoed by a schema message. */
function bootstrapProblems(env: Record<string, string | undefined>): string[] {
  const user = env.CONSOLE_BOOTSTRAP_USER?.trim() ?? '';
  const password = env.CONSOLE_BOOTSTRAP_PASSWORD ?? '';
  if (!user && !password) return [];
  if (!user) return ['CONSOLE_BOOTSTRAP_USER is missing: CONSOLE_BOOTSTRAP_PASSWORD is set, and both are needed to create the first console account'];
  if (!password) return ['CONSOLE_BOOTSTRAP_PASSWORD is missing: CONSOLE_BOOTSTRAP_USER is set, and both are needed to create the first console account'];
  const problems: string[] = [];
  const u = usernameProblem(user);
  if (u) problems.push(`CONSOLE_BOOTSTRAP_USER: ${u}`);
  const p = passwordProblem(password);
  if (p) problems.push(`CONSOLE_BOOTSTRAP_PASSWORD: ${p}`);
  return problems;
}

/** Checked outside the schema so it is reported together with any other bad variable. */
function credentialProblem(env: Record<string, string | undefined>): string | undefined {
  const isSet = (v: string | undefined) => v !== undefined && v.trim() !== '';
  const secret = isSet(env.LINE_CHANNEL_SECRET);
  const token = isSet(env.LINE_CHANNEL_ACCESS_TOKEN);
  if (secret === token) return undefined;
  const [set, missing] = secret ? ['LINE_CHANNEL_SECRET', 'LINE_CHANNEL_ACCESS_TOKEN'] : ['LINE_CHANNEL_ACCESS_TOKEN', 'LINE_CHANNEL_SECRET'];
  return `${missing} is missing: ${set} is set, and both are needed to talk to LINE (set neither to run in local mode)`;
}

/**
 * Reads and checks the configuration. Throws one Error listing every bad variable in plain words, e.g.
 * "Invalid configuration:\n- PORT must be a whole number from 0 to 65535 (got "abc")". Secret values are never
 * included in messages.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const lines: string[] = [];
  const read: Record<string, unknown> = {};
  for (const [key, { env: name, read: schema }] of Object.entries(SETTINGS)) {
    const parsed = schema(name).safeParse(env[name]);
    if (parsed.success) {
      if (parsed.data !== undefined) read[key] = parsed.data;
      continue;
    }
    // Our own messages start with the variable name; zod's built-in ones (wrong type) do not.
    for (const issue of parsed.error.issues) lines.push(issue.message.startsWith(name) ? `- ${issue.message}` : `- ${name}: ${issue.message}`);
  }
  const e = read as Settings;
  const credentials = credentialProblem(env);
  if (credentials) lines.push(`- ${credentials}`);
  // Parents' words in the logs of a live channel would be a privacy breach: the switch is for the simulator only.
  if (e.logMessageText && e.lineChannelSecret?.trim()) lines.push('- LOG_MESSAGE_TEXT is for local debugging only and cannot be used with LINE credentials');
  lines.push(...bootstrapProblems(env).map((b) => `- ${b}`));
  if (e.translationProvider && !e.translationApiKey?.trim()) lines.push(`- TRANSLATION_API_KEY is missing: TRANSLATION_PROVIDER is ${e.translationProvider}`);
  if (!e.translationProvider && e.translationApiKey?.trim()) lines.push('- TRANSLATION_PROVIDER is missing: TRANSLATION_API_KEY is set (deepl or google)');
  if (lines.length) throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  const { host, lineChannelSecret, lineChannelAccessToken, consoleBootstrapUser, consoleBootstrapPassword, ...rest } = e;
  const lineMode = lineChannelSecret && lineChannelAccessToken ? 'line' : 'local';
  return {
    ...rest,
    host: host ?? (lineMode === 'line' ? '0.0.0.0' : '127.0.0.1'),
    ...(lineMode === 'line' ? { lineChannelSecret, lineChannelAccessToken } : {}),
    lineMode,
    ...(consoleBootstrapUser?.trim()
      ? { consoleBootstrap: { username: normalizeUsername(consoleBootstrapUser), password: consoleBootstrapPassword ?? '' } }
      : {}),
  };
}

/** For commands (the server, scripts): the configuration, or the problems printed and exit code 1. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (e) {
    console.error(`設定エラー / configuration error:\n${(e as Error).message}`);
    process.exit(1);
  }
}
