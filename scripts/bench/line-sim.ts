// The LINE platform for the bench, in its own process so it does not share the app's event loop: a stub of the
// Messaging API (reply, push, loading → 2xx) and a load generator sending signed webhook requests over keep-alive
// connections. Two ways to load the app:
// - closed loop (`rate` unset): each of `concurrency` connections sends one event, waits for the 200 and for the
//   reply call carrying that event's reply token, then sends the next — throughput and latency at that many people
//   typing at once;
// - open loop (`rate` set): events are sent on a fixed schedule, `rate` per second, whatever the app's progress (as
//   LINE delivers them), and each latency counts from the event's scheduled time, so a slow app cannot slow the
//   load down and hide its own delay.
// Both sides speak minimal HTTP/1.1 over raw sockets: on a 2-core machine every millisecond the load generator
// spends is taken from the app being measured, and node:http's client and server cost several times more.
import { createHmac } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FromSimulator, PlannedEvent, RoundResult, ToSimulator } from './protocol.js';
import { percentile, round } from './stats.js';

const send = (m: FromSimulator) => process.send?.(m);

/** Reply token → when its reply call arrived (every arrival, so doubles show). */
const arrivals = new Map<string, number[]>();
const waiters = new Map<string, (at: number) => void>();
const counts = { pushes: 0, loading: 0, unknownReplies: 0 };

// ---- the Messaging API stub ----

const response = (status: string, body: string) =>
  Buffer.from(`HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`, 'latin1');
const SENT = response('200 OK', '{"sentMessages":[{"id":"1","quoteToken":"q"}]}');
const ACCEPTED = response('202 Accepted', '{}');
const OK = response('200 OK', '{}');

/** One API call: its path and body (latin1, so byte offsets and string offsets agree). */
function onApiCall(path: string, body: string, socket: net.Socket) {
  const at = performance.now();
  if (path === '/v2/bot/message/reply') {
    // The app's client writes replyToken first; reading it without parsing the whole reply keeps the stub cheap.
    const m = /"replyToken":"([^"]*)"/.exec(body.slice(0, 200));
    const token = m?.[1] ?? '';
    const seen = arrivals.get(token);
    if (seen) seen.push(at);
    else counts.unknownReplies++;
    waiters.get(token)?.(at);
    waiters.delete(token);
    socket.write(SENT);
  } else if (path === '/v2/bot/message/push') {
    counts.pushes++;
    socket.write(SENT);
  } else if (path === '/v2/bot/chat/loading/start') {
    counts.loading++;
    socket.write(ACCEPTED);
  } else socket.write(OK);
}

/** Splits a byte stream (latin1) into HTTP/1.1 messages with a content-length, calling `each` with head and body. */
function messageReader(each: (head: string, body: string) => void) {
  let buf = '';
  return (chunk: Buffer) => {
    buf += chunk.toString('latin1');
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.slice(0, end);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (/\r\ntransfer-encoding: *chunked/i.test(head)) throw new Error('the bench stub reads content-length bodies only');
      if (buf.length < end + 4 + length) return;
      const body = buf.slice(end + 4, end + 4 + length);
      buf = buf.slice(end + 4 + length);
      each(head, body);
    }
  };
}

const stub = net.createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  socket.on(
    'data',
    messageReader((head, body) => onApiCall(head.slice(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1)), body, socket)),
  );
});

// ---- the webhook sender ----

/** One keep-alive connection to the app, one request at a time; resolves each with the response's status. */
class Connection {
  private socket: net.Socket | undefined;
  private waiting: { resolve: (status: number) => void; reject: (e: Error) => void } | undefined;
  busy = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  post(path: string, body: string, signature: string): Promise<number> {
    this.busy = true;
    const socket = (this.socket ??= this.connect());
    const bytes = Buffer.byteLength(body);
    return new Promise<number>((resolve, reject) => {
      this.waiting = { resolve, reject };
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\ncontent-type: application/json\r\ncontent-length: ${bytes}\r\nx-line-signature: ${signature}\r\n\r\n${body}`,
      );
    }).finally(() => {
      this.busy = false;
    });
  }

  close() {
    this.socket?.destroy();
  }

  private connect(): net.Socket {
    const socket = net.connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    socket.on(
      'data',
      messageReader((head) => {
        const w = this.waiting;
        this.waiting = undefined;
        if (/\r\nconnection: *close/i.test(head)) this.drop();
        w?.resolve(Number(head.slice(9, 12)));
      }),
    );
    const fail = (e: Error) => {
      this.drop();
      const w = this.waiting;
      this.waiting = undefined;
      w?.reject(e);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
    return socket;
  }

  private drop() {
    this.socket?.removeAllListeners('close');
    this.socket?.destroy();
    this.socket = undefined;
  }
}

let seq = 0;
const run = Date.now().toString(36);
/** Unique ids without a random source per event (the shape and length of LINE's). */
const nextId = (width: number) => `${run}${(++seq).toString(16)}`.padStart(width, '0');

/** A text message event as LINE sends it (test/support/webhook-client.ts textEvent, with cheaper ids). */
function webhookBody(planned: PlannedEvent, replyToken: string): string {
  const now = Date.now();
  return JSON.stringify({
    destination: 'U' + 'f'.repeat(32),
    events: [
      {
        type: 'message',
        mode: 'active',
        timestamp: now,
        webhookEventId: `01${nextId(24).toUpperCase()}`,
        deliveryContext: { isRedelivery: false },
        source: { type: 'user', userId: planned.userId },
        replyToken,
        message: { type: 'text', id: String(now) + String(seq), text: planned.text, quoteToken: `q-${replyToken}`, markAsReadToken: `r-${replyToken}` },
      },
    ],
  });
}

async function runRound(m: Extract<ToSimulator, { type: 'run' }>): Promise<RoundResult> {
  // Several instances: connections are spread over them in turn, as a load balancer would.
  const urls = m.appUrls.map((u) => new URL('/webhook', u));
  const connectTo = (i: number) => new Connection(urls[i % urls.length]!.hostname, Number(urls[i % urls.length]!.port));
  const connections: Connection[] = [];
  const latencies: number[] = [];
  const acks: number[] = [];
  const tokens: string[] = [];
  const replies: Promise<void>[] = [];
  let non200 = 0;
  const before = { ...counts };

  /** Sends one event on `conn`; resolves at its 200. `from` is when it was due (open loop) or sent (closed loop). */
  async function sendEvent(conn: Connection, planned: PlannedEvent, from?: number): Promise<void> {
    const replyToken = nextId(32);
    tokens.push(replyToken);
    arrivals.set(replyToken, []);
    const body = webhookBody(planned, replyToken);
    const signature = createHmac('sha256', m.channelSecret).update(body).digest('base64');
    const sentAt = performance.now();
    const start = from ?? sentAt;
    replies.push(
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(replyToken);
          resolve();
        }, m.replyTimeoutMs);
        waiters.set(replyToken, (at) => {
          clearTimeout(timer);
          latencies.push(at - start);
          resolve();
        });
      }),
    );
    const status = await conn.post('/webhook', body, signature).catch(() => 0);
    acks.push(performance.now() - sentAt);
    if (status !== 200) non200++;
  }

  const started = performance.now();
  const cpu = process.cpuUsage();
  if (m.rate) {
    // Open loop: event i is due at started + i / rate; a free connection takes it, or a new one is opened.
    const interval = 1000 / m.rate;
    let next = 0;
    await new Promise<void>((done) => {
      const tick = () => {
        const now = performance.now();
        while (next < m.events.length && started + next * interval <= now) {
          const due = started + next * interval;
          let conn = connections.find((c) => !c.busy);
          if (!conn) connections.push((conn = connectTo(connections.length)));
          void sendEvent(conn, m.events[next++]!, due);
        }
        if (next < m.events.length) setTimeout(tick, Math.max(0, started + next * interval - performance.now()));
        else done();
      };
      tick();
    });
    await Promise.all(replies);
  } else {
    let next = 0;
    const loop = async (conn: Connection) => {
      for (;;) {
        const planned = m.events[next++];
        if (!planned) return;
        const replied = replies.length;
        await sendEvent(conn, planned);
        await replies[replied];
      }
    };
    for (let i = 0; i < m.concurrency; i++) connections.push(connectTo(i));
    await Promise.all(connections.map(loop));
  }
  const durationMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  // A doubled reply would come shortly after the first: give stragglers a moment before counting.
  await new Promise((r) => setTimeout(r, 500));
  for (const c of connections) c.close();

  // Open loop: replies per second from the first to the last reply (the whole round's duration would also count
  // the last reply's own latency, and read below the offered rate even when the app keeps up).
  const replyTimes = tokens.flatMap((t) => arrivals.get(t)?.slice(0, 1) ?? []);
  const span = replyTimes.length > 1 ? Math.max(...replyTimes) - Math.min(...replyTimes) : Number.NaN;
  const eventsPerSecond = m.rate ? ((replyTimes.length - 1) / span) * 1000 : m.events.length / (durationMs / 1000);

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
    eventsPerSecond: round(eventsPerSecond, 0),
    ...(m.rate ? { offeredRate: m.rate, connectionsUsed: connections.length } : {}),
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
    stub.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
    return;
  }
  runRound(m).then(
    (result) => send({ type: 'result', result }),
    (err: Error) => send({ type: 'error', message: err.message }),
  );
});

stub.listen(0, '127.0.0.1', () => send({ type: 'stub', baseURL: `http://127.0.0.1:${(stub.address() as AddressInfo).port}` }));
