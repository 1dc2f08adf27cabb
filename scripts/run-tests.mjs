#!/usr/bin/env node
// `npm test`: runs vitest against a real Redis.
//   - REDIS_URL set   → use it as is (CI, or your own server).
//   - otherwise       → start a throwaway redis-server on a free localhost port (no persistence), run vitest,
//                       then stop the server. Extra arguments go to vitest: `npm test -- test/adapters/stores -t TTL`.
// Vitest runs on the Node that runs this script, so `npx -y node@24 scripts/run-tests.mjs` tests on Node 24.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vitestEntry = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const vitestArgs = ['run', ...process.argv.slice(2)];
const STARTUP_TIMEOUT_MS = 10_000;

/** @type {import('node:child_process').ChildProcess | undefined} */
let redisChild;
/** @type {import('node:child_process').ChildProcess | undefined} */
let vitestChild;

function findOnPath(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => (port ? resolve(port) : reject(new Error('could not determine a free port'))));
    });
  });
}

/** One raw RESP `PING`; resolves true on `+PONG`. */
function pingOnce(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts redis-server on `port`; resolves when it answers PING, rejects with its output if it exits or times out. */
async function startRedis(redisServer, port) {
  const child = spawn(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  redisChild = child;
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  let spawnError;
  child.once('error', (err) => {
    spawnError = err;
    exited = true;
  });
  child.once('exit', () => {
    exited = true;
  });

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) {
      redisChild = undefined;
      throw new Error(`redis-server exited during startup${spawnError ? `: ${spawnError.message}` : ''}\n${output}`);
    }
    if (await pingOnce(port)) return child;
    await sleep(100);
  }
  await stopRedis();
  throw new Error(`redis-server did not answer PING on 127.0.0.1:${port} within ${STARTUP_TIMEOUT_MS / 1000} s\n${output}`);
}

/** Stops the throwaway redis-server (SIGTERM, then SIGKILL after 3 s). Safe to call more than once. */
function stopRedis() {
  const child = redisChild;
  redisChild = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function runVitest(env) {
  try {
    accessSync(vitestEntry, constants.R_OK);
  } catch {
    console.error(`vitest is not installed (${vitestEntry} is missing). Did you run npm ci?`);
    return Promise.resolve(1);
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitestEntry, ...vitestArgs], { cwd: root, stdio: 'inherit', env });
    vitestChild = child;
    child.once('error', (err) => {
      console.error(`could not start vitest (${vitestEntry}): ${err.message}. Did you run npm ci?`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      vitestChild = undefined;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

// Last resort if something exits the process directly: never leave a redis-server behind.
process.on('exit', () => {
  redisChild?.kill('SIGKILL');
});

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(signal, () => {
    vitestChild?.kill(signal);
    stopRedis().finally(() => process.exit(code));
  });
}

async function main() {
  if (process.env.REDIS_URL) return runVitest(process.env);

  const redisServer = findOnPath('redis-server');
  if (!redisServer) {
    console.error(
      'npm test needs a real Redis. Install it (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis) or set REDIS_URL=redis://host:port/db',
    );
    return 1;
  }

  // The port is free when we look but could be taken before redis-server binds it; try a few times.
  let port;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await startRedis(redisServer, port);
      break;
    } catch (err) {
      if (attempt >= 3) {
        console.error(`could not start a throwaway redis-server: ${err instanceof Error ? err.message : err}`);
        return 1;
      }
    }
  }

  const redisUrl = `redis://127.0.0.1:${port}/0`;
  console.log(`[run-tests] throwaway redis-server on ${redisUrl}`);
  try {
    return await runVitest({ ...process.env, REDIS_URL: redisUrl });
  } finally {
    await stopRedis();
  }
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    console.error(err);
    await stopRedis();
    process.exit(1);
  },
);
