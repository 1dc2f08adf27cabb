import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemble, type Assembled } from '../../../src/assemble.js';
import { loadConfig } from '../../../src/adapters/config/env.js';
import { createLogger } from '../../../src/app/log.js';
import { getCore } from '../../support/core.js';
import { REPLY, startLineStub, type LineStub } from '../../support/line-stub.js';
import { sendEvents, textEvent } from '../../support/webhook-client.js';

const SECRET = 'metrics-secret';
let stub: LineStub;
const apps: { service: Assembled; server: Server; url: string }[] = [];

async function start(env: Record<string, string> = {}) {
  const core = await getCore();
  const config = loadConfig({ LINE_CHANNEL_SECRET: SECRET, LINE_CHANNEL_ACCESS_TOKEN: 't', LINE_API_BASE_URL: stub.baseURL, ...env });
  const service = assemble({
    config,
    core: () => core,
    logger: createLogger({ level: 'silent' }),
    sweepIntervalMs: 0,
    defaultMetrics: false,
    webhook: { loadingAfterMs: Infinity },
  });
  const server = await new Promise<Server>((ok) => {
    const s = service.app.listen(0, '127.0.0.1', () => ok(s));
  });
  const app = { service, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  apps.push(app);
  return app;
}

beforeAll(async () => {
  stub = await startLineStub();
  // Built before the tests' own time starts: seconds on a busy machine.
  await getCore();
});
afterAll(async () => {
  for (const a of apps) {
    await new Promise((ok) => a.server.close(ok));
    await a.service.close();
  }
  await stub.close();
});

describe('GET /metrics', () => {
  it('counts events and decisions by action, times them, and reports the handoff queue', async () => {
    const app = await start();
    await sendEvents(app.url, [textEvent('病児保育について教えて'), textEvent('担当者と話したい')], SECRET);
    // Both events were accepted with the 200: drain resolves when both are answered, however slow the machine.
    await app.service.app.drain();
    expect(stub.callsTo(REPLY)).toHaveLength(2);
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('kc_webhook_events_total{type="message"} 2');
    expect(body).toContain('kc_decisions_total{action="answer"} 1');
    expect(body).toContain('kc_decisions_total{action="handoff"} 1');
    expect(body).toMatch(/kc_webhook_event_seconds_count 2/);
    expect(body).toMatch(/kc_decision_seconds_count 2/);
    expect(body).toContain('kc_handoff_queue_length 1');
  });

  it('behind a trusted proxy answers only with the token: every visitor looks local there', async () => {
    const app = await start({ TRUST_PROXY: 'loopback' });
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'behind a trusted proxy, metrics need METRICS_TOKEN' });
    const withToken = await start({ TRUST_PROXY: 'loopback', METRICS_TOKEN: 'secret-token-456' });
    expect((await fetch(`${withToken.url}/metrics`, { headers: { authorization: 'Bearer secret-token-456' } })).status).toBe(200);
  });

  it('needs the bearer token when one is configured', async () => {
    const app = await start({ METRICS_TOKEN: 'secret-token-123' });
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer secret-token-123' } })).status).toBe(200);
  });
});

describe('security headers', () => {
  it('are on every response', async () => {
    const app = apps[0] ?? (await start());
    const res = await fetch(`${app.url}/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
