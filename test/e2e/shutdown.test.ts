import { spawn } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../scripts/build.mjs';
import { APP_NODE_FLAGS } from '../../src/runtime-flags.js';
import { REPLY, defaultReply, startLineStub, type LineStub } from '../support/line-stub.js';
import { sendEvents, textEvent } from '../support/webhook-client.js';

// The real `npm start` process (the compiled server): SIGTERM stops new webhooks, finishes the ones in flight, and
// exits cleanly.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'shutdown-secret';
let stub: LineStub;
let answerLine!: () => void;
const lineAnswers = new Promise<void>((ok) => (answerLine = ok));
let main: string;
let built: string;

beforeAll(async () => {
  // Its own build folder, so that other runs building dist/ at the same time cannot swap files under it.
  built = (await buildApp({ outdir: `dist/test-shutdown-${process.pid}` })).outdir;
  main = path.join(built, 'src/main.js');
  // LINE holds the reply until the test lets it go, so the event is in flight when SIGTERM arrives.
  stub = await startLineStub((c) => (c.path === REPLY ? { ...defaultReply(c), until: lineAnswers } : undefined));
});
afterAll(async () => {
  await stub.close();
  rmSync(built, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((ok) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => ok(p));
    });
  });

describe('SIGTERM', () => {
  it('refuses new webhooks, finishes the one in flight, and exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [...APP_NODE_FLAGS, main], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        LINE_CHANNEL_SECRET: SECRET,
        LINE_CHANNEL_ACCESS_TOKEN: 't',
        LINE_API_BASE_URL: stub.baseURL,
        REDIS_URL: '',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    // Start-up takes about a second, and many more on a busy machine: the deadline only bounds a failure.
    await expect.poll(() => out.includes('"msg":"ready"'), { timeout: 60_000, interval: 100 }).toBe(true);
    const url = `http://127.0.0.1:${port}`;

    expect((await sendEvents(url, [textEvent('病児保育について教えて')], SECRET)).status).toBe(200);
    // The reply has reached LINE, which has not answered yet: the event is in flight.
    await stub.waitForCalls(1, { path: REPLY, timeoutMs: 15_000 });
    child.kill('SIGTERM');
    await expect.poll(() => out.includes('shutting down'), { timeout: 10_000, interval: 20 }).toBe(true);
    // LINE answers now (well within the app's 10 s deadline for a LINE call, so it is not sent again).
    answerLine();
    const late = await sendEvents(url, [textEvent('保育園')], SECRET).then(
      (r) => r.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);

    expect(await exited).toBe(0);
    expect(stub.callsTo(REPLY)).toHaveLength(1);
    // The event in flight at SIGTERM was finished, once, after the shutdown began.
    expect(out.indexOf('"msg":"line event handled"')).toBeGreaterThan(out.indexOf('shutting down'));
    expect(out).toContain('stopped');
  }, 90_000);
});
