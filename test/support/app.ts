import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assemble, type AssembleOptions, type Assembled } from '../../src/assemble.js';
import { loadConfig } from '../../src/adapters/config/env.js';
import { createLogger } from '../../src/app/log.js';
import type { RedisClient } from '../../src/adapters/stores/redis-client.js';
import { getCore } from './core.js';

export interface RunningApp {
  service: Assembled;
  url: string;
  close(): Promise<void>;
}

/**
 * The service as `npm start` wires it (assemble), in line mode against `lineApiBaseUrl` (a LINE API stub), listening
 * on a free loopback port. Redis when given one (the app owns it: close() quits it), memory otherwise.
 */
export async function startApp(opts: {
  secret: string;
  lineApiBaseUrl: string;
  env?: Record<string, string>;
  redis?: RedisClient;
  prefix?: string;
  webhook?: AssembleOptions['webhook'];
}): Promise<RunningApp> {
  const core = await getCore();
  const config = loadConfig({ LINE_CHANNEL_SECRET: opts.secret, LINE_CHANNEL_ACCESS_TOKEN: 'test-token', LINE_API_BASE_URL: opts.lineApiBaseUrl, ...opts.env });
  const service = assemble({
    config,
    core: () => core,
    logger: createLogger({ level: 'silent' }),
    ...(opts.redis ? { redis: opts.redis } : {}),
    ...(opts.prefix ? { prefix: opts.prefix } : {}),
    sweepIntervalMs: 0,
    defaultMetrics: false,
    webhook: { loadingAfterMs: Infinity, ...opts.webhook },
  });
  const server = await new Promise<Server>((ok) => {
    const s = service.app.listen(0, '127.0.0.1', () => ok(s));
  });
  return {
    service,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise((ok) => server.close(ok));
      await service.close();
    },
  };
}
