import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_NODE_FLAGS } from '../../src/runtime-flags.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** The executable's path on PATH, or undefined. */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return path.join(dir, command);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export function stopProcess(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface OwnRedis {
  url: string;
  /** SIGSTOP for `ms`, then SIGCONT: connections stay open and commands wait unanswered, as on a hung server. */
  freeze(ms: number): Promise<void>;
  /** SIGKILL (everything in it is lost, as without persistence), then a new server on the same port after `downMs`. */
  crash(downMs: number): Promise<void>;
  /** Stops the server (SIGTERM: connections are refused until `up`); with `persist` it keeps its data. */
  down(): Promise<void>;
  /** Starts it again on the same port (and, with `persist`, with the data it had). */
  up(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A throwaway redis-server of the test's own (loopback; no persistence unless `persist`, then an append-only file
 * synced on every write in a folder of its own), for tests that run the server exactly as production does — with its
 * default key prefix, which the shared test Redis must not be given.
 */
export async function startOwnRedis(redisServer: string, opts: { persist?: boolean } = {}): Promise<OwnRedis> {
  const port = await freePort();
  const dir = opts.persist ? mkdtempSync(path.join(os.tmpdir(), 'kc-redis-')) : undefined;
  const storage = dir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir] : ['--appendonly', 'no'];
  let child: ChildProcess;
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const launch = async () => {
    child = spawn(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...storage], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      const up = await new Promise<boolean>((resolve) => {
        const s = net.connect({ port, host: '127.0.0.1' }, () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      });
      if (up) break;
      await sleep(50);
    }
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    async freeze(ms: number) {
      child.kill('SIGSTOP');
      try {
        await sleep(ms);
      } finally {
        child.kill('SIGCONT');
      }
    },
    async crash(downMs: number) {
      const dead = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await dead;
      await sleep(downMs);
      await launch();
    },
    async down() {
      await stopProcess(child);
    },
    async up() {
      await launch();
    },
    async stop() {
      child.kill('SIGCONT');
      await stopProcess(child);
      process.removeListener('exit', kill);
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ServerProcess {
  url: string;
  /** Every JSON log line so far. */
  logs: Record<string, unknown>[];
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: the process dies at once, as in a crash or an out-of-memory kill. */
  kill(): Promise<void>;
}

/**
 * The compiled server started the way the Docker image starts it (`node <flags> dist/src/main.js`, from the
 * repository root), on a free port; resolves at its `ready` log line.
 */
export async function startServerProcess(entry: string, env: Record<string, string>, timeoutMs = 20_000): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...APP_NODE_FLAGS, entry], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const deadline = Date.now() + timeoutMs;
  while (!logs.some((l) => l.msg === 'ready')) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) {
      kill();
      throw new Error(`server not ready within ${timeoutMs} ms: ${stderr}`);
    }
    await sleep(25);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    async stop() {
      await stopProcess(child, 10_000);
      process.removeListener('exit', kill);
      return child.exitCode;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        const dead = new Promise((resolve) => child.once('exit', resolve));
        kill();
        await dead;
      }
      process.removeListener('exit', kill);
    },
  };
}
