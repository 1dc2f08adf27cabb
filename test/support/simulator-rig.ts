import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Core } from '../../src/core/build-core.js';
import { loadConfig } from '../../src/adapters/config/env.js';
import { ConversationService } from '../../src/app/conversation/service.js';
import { createLogger } from '../../src/app/log.js';
import { RedisStateStore } from '../../src/adapters/stores/redis-store.js';
import { createApp, type AppDeps, type ConciergeApp } from '../../src/adapters/http/app.js';
import { getCore } from './core.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from './redis.js';
import { launchChromium } from './chromium.js';

export const SIMULATOR_WAIT = { timeout: 8000 };

export interface SimulatorRig {
  readonly core: Core;
  readonly app: ConciergeApp;
  readonly url: string;
  /** The page of the current test (opened by `open`). */
  readonly page: Page;
  /**
   * A fresh browser context on the simulator (empty localStorage, so a new LINE user ID), connected. Page errors and
   * console errors are collected and fail the test when it ends.
   */
  open(width?: number, height?: number): Promise<Page>;
}

/**
 * The simulator's browser tests' common ground, registered as hooks of the calling `describe`: the real app in local
 * mode (real core, real Redis under a fresh prefix), a headless Chromium, a page per test, and after each test a
 * screenshot into `screenshots` (when given) and no page or console error.
 */
export function simulatorRig(opts: { screenshots?: string; app?: (core: Core) => Partial<AppDeps> } = {}): SimulatorRig {
  const redis = connectTestRedis();
  const prefix = uniquePrefix();
  let core: Core;
  let app: ConciergeApp;
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page | undefined;
  let problems: string[] = [];

  beforeAll(async () => {
    [core, browser] = await Promise.all([getCore(), launchChromium()]);
    const store = new RedisStateStore({ redis, ttlSeconds: 600, prefix });
    app = createApp({
      handler: new ConversationService({ concierge: () => core.concierge, store }),
      store,
      config: loadConfig({}),
      logger: createLogger({ level: 'silent' }),
      ...opts.app?.(core),
    });
    server = await new Promise<Server>((ok) => {
      const s = app.listen(0, '127.0.0.1', () => ok(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await browser?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    }
    await app?.drain();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });

  afterEach(async (ctx) => {
    if (opts.screenshots && page) {
      mkdirSync(opts.screenshots, { recursive: true });
      await page.screenshot({ path: path.join(opts.screenshots, `${ctx.task.name.replace(/[^\w]+/g, '-').slice(0, 60)}.png`), fullPage: true });
    }
    await page?.context().close();
    page = undefined;
    expect(problems).toEqual([]);
  });

  return {
    get core() {
      return core;
    },
    get app() {
      return app;
    },
    get url() {
      return url;
    },
    get page() {
      return page!;
    },
    async open(width = 800, height = 1000) {
      const context = await browser.newContext({ viewport: { width, height }, locale: 'ja-JP' });
      page = await context.newPage();
      problems = [];
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      await page.goto(`${url}/simulator`);
      await page.locator('#connection[data-state="open"]').waitFor(SIMULATOR_WAIT);
      return page;
    },
  };
}
