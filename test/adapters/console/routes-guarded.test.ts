import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, type Instance } from '../../support/console.js';
import { startLineStub, type LineStub } from '../../support/line-stub.js';

let stub: LineStub;
let app: Instance;
beforeAll(async () => {
  stub = await startLineStub();
  app = await startInstance({ lineApiBaseUrl: stub.baseURL });
});
afterAll(async () => {
  await app.close();
  await stub.close();
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route the console router defines, found by walking Express' router stack (nested routers included). */
function routesOf(stack: Layer[]): { method: string; path: string }[] {
  return stack.flatMap((layer) => {
    if (layer.route)
      return Object.keys(layer.route.methods)
        .filter((m) => layer.route!.methods[m])
        .map((method) => ({ method: method.toUpperCase(), path: layer.route!.path }));
    return layer.handle?.stack ? routesOf(layer.handle.stack) : [];
  });
}

// The only routes anyone may use before signing in (besides the static files): the sign-in form, and htmx, a static
// file served from its package.
const PUBLIC = new Set(['GET /login', 'POST /login', 'GET /static/vendor/htmx.min.js']);

describe('every console route refuses an unauthenticated request', () => {
  const routes = () => routesOf((app.console.router as unknown as { stack: Layer[] }).stack);

  it('finds the routes to check', () => {
    const found = routes().map((r) => `${r.method} ${r.path}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'GET /',
        'GET /handoffs/:id',
        'POST /handoffs/:id/reply',
        'POST /handoffs/:id/close',
        'GET /events',
        'POST /logout',
        'GET /kb',
        'POST /kb/entries/:id',
        'POST /kb/versions/:n/rollback',
        'GET /kb/csv/export',
        'POST /kb/csv/import',
        'POST /kb/freshness/sources',
        'GET /kb/reports',
        'POST /kb/reports/:id/handled',
        'GET /kb/entries/:id/translations/:code',
        'POST /kb/entries/:id/translations/:code',
        'POST /kb/contacts/:id/translations/:code',
        'POST /kb/facilities/:id/translations/:code',
        'POST /kb/copy/:code',
        'POST /kb/emergency/:code',
      ]),
    );
  });

  it('redirects pages to the sign-in form and refuses everything else', async () => {
    const checked: string[] = [];
    for (const r of routes()) {
      const key = `${r.method} ${r.path}`;
      if (PUBLIC.has(key)) continue;
      const path = `/console${r.path.replace(':id', '0b0c9d3e-1f2a-4b5c-8d9e-0a1b2c3d4e5f')}`;
      const res = await fetch(`${app.url}${path}`, {
        method: r.method,
        redirect: 'manual',
        ...(r.method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'text=hello&_csrf=forged' } : {}),
      });
      if (r.method === 'GET' && r.path !== '/events') {
        expect(res.status, key).toBe(303);
        expect(res.headers.get('location'), key).toMatch(/^\/console\/login/);
      } else expect([401, 403], key).toContain(res.status);
      await res.body?.cancel();
      checked.push(key);
    }
    expect(checked.length).toBeGreaterThanOrEqual(15);
  });

  it('refuses a cross-site sign-in post', async () => {
    const res = await fetch(`${app.url}/console/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'username=tanaka&password=x',
    });
    expect(res.status).toBe(403);
  });
});
