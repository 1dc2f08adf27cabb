import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../../src/adapters/config/env.js';

const creds = { LINE_CHANNEL_SECRET: 'secret-value-123', LINE_CHANNEL_ACCESS_TOKEN: 'token-value-456' };

/** The message loadConfig throws for `env`. */
function failure(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('runs in local mode with defaults when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      // Local mode shows conversations (simulator, /local/messages): this machine only.
      host: '127.0.0.1',
      lineApiBaseUrl: 'https://api.line.me',
      stateTtlSeconds: 1800,
      logLevel: 'info',
      officeHours: { opensAt: 8 * 60 + 30, closesAt: 17 * 60 + 15 },
      handoffIdleMinutes: 60,
      shutdownDrainSeconds: 10,
      spoolRetentionHours: 24,
      rescanSeconds: 30,
      transcriptRetentionDays: 30,
      sourceWatchHours: 24,
      sourceWatchTimeoutSeconds: 15,
      sourceWatchConcurrency: 3,
      consoleSessionHours: 12,
      trustProxy: false,
      kbEvalFile: path.resolve('training/dev.jsonl'),
      lineMode: 'local',
      logMessageText: false,
    });
  });

  it('allows logging what people wrote only locally (LOG_MESSAGE_TEXT)', () => {
    expect(loadConfig({ LOG_MESSAGE_TEXT: '1' }).logMessageText).toBe(true);
    expect(() => loadConfig({ ...creds, LOG_MESSAGE_TEXT: '1' })).toThrow(/LOG_MESSAGE_TEXT is for local debugging only/);
  });

  it('reads where the development set for knowledge-base publishes is', () => {
    expect(loadConfig({ KB_EVAL_FILE: '/srv/eval/dev.jsonl' }).kbEvalFile).toBe('/srv/eval/dev.jsonl');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(() => loadConfig({ HOST: 'everywhere' })).toThrow(/HOST must be an IP address/);
  });

  it('reads where promises wait while Redis is away, for how long, and how often leftovers are looked for', () => {
    expect(loadConfig({ SPOOL_DIR: 'var/spool', SPOOL_RETENTION_HOURS: '48', RESCAN_SECONDS: '5' })).toMatchObject({
      spoolDir: path.resolve('var/spool'),
      spoolRetentionHours: 48,
      rescanSeconds: 5,
    });
    expect(() => loadConfig({ SPOOL_RETENTION_HOURS: '0', RESCAN_SECONDS: '0' })).toThrow(
      /SPOOL_RETENTION_HOURS must be a whole number from 1 to 720[\s\S]*RESCAN_SECONDS must be a whole number from 1 to 3600/,
    );
  });

  it('reads the source watch settings: how often (0 = off), the per-page timeout and pages at once', () => {
    expect(loadConfig({ SOURCE_WATCH_HOURS: '0', SOURCE_WATCH_TIMEOUT_SECONDS: '5', SOURCE_WATCH_CONCURRENCY: '2' })).toMatchObject({
      sourceWatchHours: 0,
      sourceWatchTimeoutSeconds: 5,
      sourceWatchConcurrency: 2,
    });
    expect(() => loadConfig({ SOURCE_WATCH_CONCURRENCY: '50' })).toThrow(/SOURCE_WATCH_CONCURRENCY must be a whole number from 1 to 16/);
  });

  it('reads the handoff settings', () => {
    expect(
      loadConfig({
        OFFICE_HOURS: '9:00-17:00',
        HANDOFF_IDLE_MINUTES: '30',
        TRANSCRIPT_RETENTION_DAYS: '7',
        LINE_STAFF_GROUP_ID: 'Cabc',
        PUBLIC_BASE_URL: 'https://bot.example.jp',
      }),
    ).toMatchObject({
      officeHours: { opensAt: 540, closesAt: 1020 },
      handoffIdleMinutes: 30,
      transcriptRetentionDays: 7,
      lineStaffGroupId: 'Cabc',
      publicBaseUrl: 'https://bot.example.jp',
    });
    expect(() => loadConfig({ OFFICE_HOURS: '17:00-09:00' })).toThrow(/OFFICE_HOURS must look like 08:30-17:15/);
  });

  it('reads the staff console settings', () => {
    expect(
      loadConfig({ CONSOLE_SESSION_HOURS: '8', TRUST_PROXY: '1', CONSOLE_BOOTSTRAP_USER: ' Admin ', CONSOLE_BOOTSTRAP_PASSWORD: 'local-admin-pass' }),
    ).toMatchObject({
      consoleSessionHours: 8,
      trustProxy: 1,
      consoleBootstrap: { username: 'admin', password: 'local-admin-pass' },
    });
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback,10.0.0.0/8');
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(failure({ CONSOLE_SESSION_HOURS: '0' })).toMatch(/CONSOLE_SESSION_HOURS must be a whole number from 1 to 168/);
    // true would let anyone choose the address their sign-in attempts are counted under.
    expect(failure({ TRUST_PROXY: 'true' })).toMatch(/^- TRUST_PROXY must be the number of proxies/m);
    expect(failure({ TRUST_PROXY: 'proxy.example' })).toMatch(/^- TRUST_PROXY/m);
  });

  it('needs both bootstrap variables, a valid name and a long enough password, and never echoes the password', () => {
    expect(failure({ CONSOLE_BOOTSTRAP_USER: 'admin' })).toMatch(/CONSOLE_BOOTSTRAP_PASSWORD is missing/);
    expect(failure({ CONSOLE_BOOTSTRAP_PASSWORD: 'secret-password-1' })).toMatch(/CONSOLE_BOOTSTRAP_USER is missing/);
    expect(failure({ CONSOLE_BOOTSTRAP_USER: 'a b', CONSOLE_BOOTSTRAP_PASSWORD: 'long-enough-password' })).toMatch(/^- CONSOLE_BOOTSTRAP_USER: /m);
    const short = failure({ CONSOLE_BOOTSTRAP_USER: 'admin', CONSOLE_BOOTSTRAP_PASSWORD: 'hunter2' });
    expect(short).toMatch(/^- CONSOLE_BOOTSTRAP_PASSWORD: .*10/m);
    expect(short).not.toContain('hunter2');
    expect(loadConfig({ CONSOLE_BOOTSTRAP_USER: '', CONSOLE_BOOTSTRAP_PASSWORD: '' }).consoleBootstrap).toBeUndefined();
  });

  it('runs in line mode when both LINE credentials are set', () => {
    const c = loadConfig({ ...creds, PORT: '8080', REDIS_URL: 'redis://127.0.0.1:6379/0', STATE_TTL_SECONDS: '600', LOG_LEVEL: 'debug' });
    expect(c).toEqual({
      port: 8080,
      host: '0.0.0.0',
      redisUrl: 'redis://127.0.0.1:6379/0',
      lineChannelSecret: creds.LINE_CHANNEL_SECRET,
      lineChannelAccessToken: creds.LINE_CHANNEL_ACCESS_TOKEN,
      lineApiBaseUrl: 'https://api.line.me',
      stateTtlSeconds: 600,
      logLevel: 'debug',
      officeHours: { opensAt: 8 * 60 + 30, closesAt: 17 * 60 + 15 },
      handoffIdleMinutes: 60,
      shutdownDrainSeconds: 10,
      spoolRetentionHours: 24,
      rescanSeconds: 30,
      transcriptRetentionDays: 30,
      sourceWatchHours: 24,
      sourceWatchTimeoutSeconds: 15,
      sourceWatchConcurrency: 3,
      consoleSessionHours: 12,
      trustProxy: false,
      kbEvalFile: path.resolve('training/dev.jsonl'),
      lineMode: 'line',
      logMessageText: false,
    });
  });

  it('treats empty variables (FOO= in a .env file) as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '', LINE_CHANNEL_SECRET: '', LINE_CHANNEL_ACCESS_TOKEN: ' ', LOG_LEVEL: '' })).toMatchObject({
      port: 3000,
      lineMode: 'local',
    });
    expect(loadConfig({ REDIS_URL: '' }).redisUrl).toBeUndefined();
  });

  it('reads REDIS_CLUSTER_NODES as a list of host:port seed nodes', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-b.internal:7001,[::1]:7002,' }).redisClusterNodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b.internal', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(loadConfig({ REDIS_CLUSTER_NODES: '' }).redisClusterNodes).toBeUndefined();
    expect(loadConfig({}).redisClusterNodes).toBeUndefined();
  });

  it('refuses malformed REDIS_CLUSTER_NODES, naming the bad entries', () => {
    const msg = failure({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,redis://10.0.0.2:7000,10.0.0.3,10.0.0.4:70000' });
    expect(msg).toMatch(/^- REDIS_CLUSTER_NODES must be a comma-separated list of host:port/m);
    expect(msg).toContain('"redis://10.0.0.2:7000", "10.0.0.3", "10.0.0.4:70000"');
    expect(failure({ REDIS_CLUSTER_NODES: ' , ' })).toMatch(/REDIS_CLUSTER_NODES .*got no nodes/);
  });

  it('refuses exactly one LINE credential, naming the missing one', () => {
    expect(failure({ LINE_CHANNEL_SECRET: 'x' })).toMatch(/LINE_CHANNEL_ACCESS_TOKEN is missing/);
    expect(failure({ LINE_CHANNEL_ACCESS_TOKEN: 'x' })).toMatch(/LINE_CHANNEL_SECRET is missing/);
  });

  it('accepts a LINE API base URL of scheme, host and port, and normalises a trailing slash', () => {
    expect(loadConfig({ LINE_API_BASE_URL: 'http://127.0.0.1:9999' }).lineApiBaseUrl).toBe('http://127.0.0.1:9999');
    expect(loadConfig({ LINE_API_BASE_URL: 'https://api.line.me/' }).lineApiBaseUrl).toBe('https://api.line.me');
  });

  it('refuses a LINE API base URL with a path, explaining that the SDK would drop it', () => {
    const msg = failure({ LINE_API_BASE_URL: 'http://127.0.0.1:9999/line' });
    expect(msg).toContain('LINE_API_BASE_URL');
    expect(msg).toContain('"/line"');
    expect(msg).toMatch(/scheme, host and port/);
  });

  it('refuses other malformed LINE API base URLs', () => {
    expect(failure({ LINE_API_BASE_URL: 'api.line.me' })).toMatch(/LINE_API_BASE_URL is not a valid URL/);
    expect(failure({ LINE_API_BASE_URL: 'ftp://api.line.me' })).toMatch(/https:\/\/ or http:\/\//);
    expect(failure({ LINE_API_BASE_URL: 'https://api.line.me?x=1' })).toMatch(/query string/);
  });

  it('lists every bad variable in one message', () => {
    const msg = failure({
      PORT: 'abc',
      STATE_TTL_SECONDS: '0',
      LOG_LEVEL: 'loud',
      REDIS_URL: 'http://cache:6379',
      LINE_CHANNEL_SECRET: 'x',
      LINE_API_BASE_URL: 'http://h/p',
    });
    const lines = msg.split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(
      lines
        .slice(1)
        .map((l) => l.match(/^- ([A-Z_]+)/)?.[1])
        .sort(),
    ).toEqual(['LINE_API_BASE_URL', 'LINE_CHANNEL_ACCESS_TOKEN', 'LOG_LEVEL', 'PORT', 'REDIS_URL', 'STATE_TTL_SECONDS'].sort());
    expect(msg).toContain('PORT must be a whole number from 0 to 65535 (got "abc")');
    expect(msg).toContain('STATE_TTL_SECONDS must be a whole number');
    expect(msg).toContain('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
    expect(msg).toContain('REDIS_URL must start with redis:// or rediss://');
  });

  it('refuses ports and TTLs that are not whole numbers in range', () => {
    for (const PORT of ['-1', '65536', '30.5', '3e3']) expect(failure({ PORT })).toMatch(/^- PORT/m);
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(failure({ STATE_TTL_SECONDS: '-5' })).toMatch(/^- STATE_TTL_SECONDS/m);
  });

  it('never echoes secrets or a Redis password in its message', () => {
    const msg = failure({ LINE_CHANNEL_SECRET: 'top-secret-value', REDIS_URL: 'redis://:hunter2@', PORT: 'x' });
    expect(msg).not.toContain('top-secret-value');
    expect(msg).not.toContain('hunter2');
    const bad = failure({ REDIS_URL: 'not a url with hunter2' });
    expect(bad).not.toContain('hunter2');
  });

  it('reads process.env by default', () => {
    const saved = process.env.STATE_TTL_SECONDS;
    process.env.STATE_TTL_SECONDS = '42';
    try {
      expect(loadConfig().stateTtlSeconds).toBe(42);
    } finally {
      if (saved === undefined) delete process.env.STATE_TTL_SECONDS;
      else process.env.STATE_TTL_SECONDS = saved;
    }
  });
});

describe('.env.example', () => {
  const read = (file: string) => readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8');

  it('lists every variable loadConfig reads, each with an empty value (no secrets, defaults apply)', () => {
    const readByConfig = new Set(CONFIG_VARIABLES);
    const entries = [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]] as const);
    expect(new Set(entries.map(([name]) => name))).toEqual(readByConfig);
    expect(entries.filter(([, value]) => value !== '')).toEqual([]);
  });
});
