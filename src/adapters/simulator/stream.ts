import type { Request, Response } from 'express';
import type { Timeline, TimelineEntry } from './timeline.js';

/**
 * Server-Sent Events for one simulated chat: `history` (everything so far) on connect, then one `entry` per new
 * message from either side. The browser's EventSource reconnects by itself and gets the history again, so a
 * dropped connection never leaves gaps or duplicates on the page.
 */

export interface StreamOptions {
  /** Comment lines keep idle connections open through proxies. Default 20 s. */
  heartbeatMs?: number;
  /** EventSource's wait before reconnecting. Default 2 s. */
  retryMs?: number;
}

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export function streamChat(req: Request, res: Response, timeline: Timeline, userId: string, opts: StreamOptions = {}): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`retry: ${opts.retryMs ?? 2000}\n\n`);
  // Subscribe and read the history in the same tick, so no entry falls between them.
  const off = timeline.subscribe(userId, (entry: TimelineEntry) => res.write(frame('entry', entry)));
  res.write(frame('history', { entries: timeline.history(userId) }));
  const heartbeat = setInterval(() => res.write(': ping\n\n'), opts.heartbeatMs ?? 20_000);
  heartbeat.unref();

  return new Promise((resolve) => {
    const close = () => {
      clearInterval(heartbeat);
      off();
      resolve();
    };
    req.once('close', close);
    res.once('close', close);
  });
}
