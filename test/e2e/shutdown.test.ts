import { spawn } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../scripts/build.mjs';
import { APP_NODE_FLAGS } from '../../src/runtime-flags.js';
import { REPLY, startLineStub, type LineStub } from '../support/line-stub.js';
import { sendEvents, textEvent } from '../support/webhook-client.js';

// The real `npm start` process (the compiled server): SIGTERM stops new webhooks, finishes the ones in flight, and
// exits cleanly.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'shutdown-secret';
let stub: LineStub;
let main: string;
let built: string;

beforeAll(async () => {
  // Its own build folder, so that other runs building dist/ at the same time cannot swap files under it.
  built = (await buildApp({ outdir: `dist/test-shutdown-${process.pid}` })).outdir;
  main = path.join(built, 'src/main.js');
  // LINE answers slowly, so the event is still in flight when SIGTERM arrives.
  stub = await startLineStub((c) => (c.path === REPLY ? (Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600), undefined) : undefined));
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
    await expect.poll(() => out.includes('"msg":"ready"'), { timeout: 20_000, interval: 100 }).toBe(true);
    const url = `http://127.0.0.1:${port}`;

    expect((await sendEvents(url, [textEvent('病児保育について教えて')], SECRET)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    const late = await sendEvents(url, [textEvent('保育園')], SECRET).then(
      (r) => r.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);

    expect(await exited).toBe(0);
    expect(stub.callsTo(REPLY)).toHaveLength(1);
    expect(out).toContain('stopped');
  }, 40_000);
});
