// One instance of the service for the webhook bench, in its own process: wired as `npm start` wires it (assemble),
// on the bench's Redis under the bench's key prefix, logging as in production into /dev/null. Several of these
// behind the LINE simulator are several instances behind a load balancer.
import pino from 'pino';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { assemble } from '../../src/assemble.js';
import { loadCore } from '../../src/core/build-core.js';
import { loadConfig } from '../../src/adapters/config/env.js';
import { createLogger } from '../../src/app/log.js';
import { createRedisClient } from '../../src/adapters/stores/index.js';
import type { FromInstance, ToInstance } from './protocol.js';
import { mb } from './stats.js';

const send = (m: FromInstance) => process.send?.(m);
let service: ReturnType<typeof assemble> | undefined;
let server: Server | undefined;
let profiler: { stop(file: string): Promise<void> } | undefined;
const commands = { count: 0 };

async function start(m: Extract<ToInstance, { type: 'start' }>) {
  const core = await loadCore();
  const config = loadConfig({
    PORT: '0',
    REDIS_URL: m.redisUrl,
    LINE_CHANNEL_SECRET: m.channelSecret,
    LINE_CHANNEL_ACCESS_TOKEN: 'bench-token',
    LINE_API_BASE_URL: m.lineApiBaseUrl,
    LOG_LEVEL: m.logLevel,
  });
  const logger = createLogger({ level: config.logLevel, destination: pino.destination({ dest: '/dev/null', sync: true }) });
  const redis = m.memoryStore ? undefined : createRedisClient(m.redisUrl, logger);
  if (redis) {
    await redis.ping();
    // ioredis funnels every command, scripts and MULTI blocks included, through sendCommand.
    const sendCommand = redis.sendCommand.bind(redis);
    redis.sendCommand = ((...a: Parameters<typeof redis.sendCommand>) => {
      commands.count++;
      return sendCommand(...a);
    }) as typeof redis.sendCommand;
  }
  service = assemble({
    config,
    core: () => core,
    logger,
    ...(redis ? { redis } : {}),
    prefix: m.prefix,
    sweepIntervalMs: 0,
    ...(m.settleMs !== undefined ? { userOrderSettleMs: m.settleMs } : {}),
  });
  const app = service.app;
  server = await new Promise<Server>((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

async function startProfiler() {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function handle(m: ToInstance) {
  switch (m.type) {
    case 'start':
      return start(m);
    case 'stats': {
      await service?.app.drain();
      const cpu = process.cpuUsage();
      const mem = process.memoryUsage();
      return send({ type: 'stats', cpuMs: (cpu.user + cpu.system) / 1000, commands: commands.count, rssMb: mb(mem.rss), heapMb: mb(mem.heapUsed) });
    }
    case 'profile-start':
      profiler = await startProfiler();
      return send({ type: 'ok' });
    case 'profile-stop':
      await profiler?.stop(m.file);
      return send({ type: 'ok' });
    case 'exit':
      server?.closeAllConnections();
      await new Promise((r) => (server ? server.close(r) : r(undefined)));
      await service?.close();
      process.exit(0);
  }
}

process.on('message', (m: ToInstance) => {
  handle(m).catch((err: Error) => send({ type: 'error', message: err.message }));
});
