// The LINE platform for the bench, in its own process so it does not share the app's event loop: a lean stub of
// the Messaging API (reply, push, loading → 200) and a load generator sending signed webhook requests over
// keep-alive connections. Each of `concurrency` connections sends one event, waits for the 200 and for the
// reply call carrying that event's reply token, then sends the next (a closed loop: throughput and latency
// at that many people typing at once).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { callbackBody, lineSignature, textEvent } from '../../test/support/webhook-client.js';
import type { FromSimulator, PlannedEvent, RoundResult, ToSimulator } from './protocol.js';
import { percentile, round } from './stats.js';

const send = (m: FromSimulator) => process.send?.(m);

/** Reply token → when its reply call arrived (every arrival, so doubles show). */
const arrivals = new Map<string, number[]>();
const waiters = new Map<string, (at: number) => void>();
const counts = { pushes: 0, loading: 0, unknownReplies: 0 };

const stub = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = performance.now();
    if (req.url === '/v2/bot/message/reply') {
      let token = '';
      try {
        token = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { replyToken?: unknown }).replyToken ?? '');
      } catch {
        // counted below as a reply nobody was waiting for
      }
      const seen = arrivals.get(token);
      if (seen) seen.push(at);
      else counts.unknownReplies++;
      waiters.get(token)?.(at);
      waiters.delete(token);
    } else if (req.url === '/v2/bot/message/push') counts.pushes++;
    else if (req.url === '/v2/bot/chat/loading/start') counts.loading++;
    const status = req.url === '/v2/bot/chat/loading/start' ? 202 : 200;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(req.url === '/v2/bot/message/reply' || req.url === '/v2/bot/message/push' ? '{"sentMessages":[{"id":"1"}]}' : '{}');
  });
});

function post(agent: http.Agent, url: URL, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-line-signature': signature } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function runRound(m: Extract<ToSimulator, { type: 'run' }>): Promise<RoundResult> {
  const url = new URL('/webhook', m.appUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: m.concurrency });
  const latencies: number[] = [];
  const acks: number[] = [];
  const tokens: string[] = [];
  let next = 0;
  let non200 = 0;
  const before = { ...counts };

  async function connection() {
    for (;;) {
      const planned: PlannedEvent | undefined = m.events[next++];
      if (!planned) return;
      const replyToken = randomBytes(16).toString('hex');
      tokens.push(replyToken);
      arrivals.set(replyToken, []);
      const body = callbackBody([textEvent(planned.text, { userId: planned.userId, replyToken })]);
      const signature = lineSignature(body, m.channelSecret);
      const replied = new Promise<number | undefined>((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(replyToken);
          resolve(undefined);
        }, m.replyTimeoutMs);
        waiters.set(replyToken, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
      const sentAt = performance.now();
      const status = await post(agent, url, body, signature).catch(() => 0);
      acks.push(performance.now() - sentAt);
      if (status !== 200) non200++;
      const at = await replied;
      if (at !== undefined) latencies.push(at - sentAt);
    }
  }

  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: m.concurrency }, connection));
  const durationMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  // A doubled reply would come shortly after the first: give stragglers a moment before counting.
  await new Promise((r) => setTimeout(r, 500));
  agent.destroy();

  let lost = 0;
  let doubled = 0;
  for (const t of tokens) {
    const n = arrivals.get(t)?.length ?? 0;
    if (n === 0) lost++;
    if (n > 1) doubled++;
    arrivals.delete(t);
  }
  return {
    events: m.events.length,
    durationMs: round(durationMs, 0),
    eventsPerSecond: round(m.events.length / (durationMs / 1000), 0),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(Math.max(...latencies)),
    ackP50Ms: round(percentile(acks, 50)),
    ackP99Ms: round(percentile(acks, 99)),
    lost,
    doubled,
    non200,
    pushes: counts.pushes - before.pushes,
    loading: counts.loading - before.loading,
    unknownReplies: counts.unknownReplies - before.unknownReplies,
    simCpuMsPerEvent: round((used.user + used.system) / 1000 / m.events.length, 3),
  };
}

process.on('message', (m: ToSimulator) => {
  if (m.type === 'exit') {
    stub.closeAllConnections();
    stub.close(() => process.exit(0));
    return;
  }
  runRound(m).then(
    (result) => send({ type: 'result', result }),
    (err: Error) => send({ type: 'error', message: err.message }),
  );
});

stub.keepAliveTimeout = 60_000;
stub.listen(0, '127.0.0.1', () => send({ type: 'stub', baseURL: `http://127.0.0.1:${(stub.address() as AddressInfo).port}` }));
