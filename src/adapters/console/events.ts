import type { Request, RequestHandler, Response } from 'express';
import type { HandoffEvents } from '../../app/handoff/handoff-store.js';
import type { HandoffEvent } from '../../app/handoff/types.js';
import { signedIn } from './auth.js';
import type { SessionStore } from './sessions.js';

export interface EventStreamDeps {
  events: HandoffEvents;
  sessions: SessionStore;
  /** A comment line this often keeps proxies from closing a quiet stream. */
  heartbeatMs?: number;
}

export interface EventStream {
  handler: RequestHandler;
  /** Open streams (tests, shutdown). */
  readonly size: number;
  closeAll(): void;
}

/**
 * Server-sent events for open console pages: one `handoff` event per change on any instance (Redis pub/sub), carrying
 * ids only — the page then fetches what it shows. A `ready` event says the subscription is live, so a page that
 * reconnects after a drop knows to reload its parts for anything it missed; it comes again whenever the server's own
 * subscription was lost and is live again.
 */
export function eventStream(deps: EventStreamDeps): EventStream {
  const open = new Set<Response>();
  const heartbeatMs = deps.heartbeatMs ?? 25_000;

  const handler: RequestHandler = async (_req: Request, res: Response) => {
    const { sessionId } = signedIn(res);
    res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    open.add(res);

    // The browser may be gone already (a closed tab); writing then is pointless.
    const write = (chunk: string) => {
      if (!res.destroyed && !res.writableEnded) res.write(chunk);
    };
    const send = (event: HandoffEvent) => {
      const data = { type: event.type, handoffId: event.handoffId, ...(event.urgent ? { urgent: true } : {}), at: event.at };
      write(`event: handoff\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const unsubscribe = deps.events.subscribe(send);
    let live = false;
    // After Redis came back, events published meanwhile are gone: a second `ready` makes the page reload its parts.
    const stopResync = deps.events.onResubscribed(() => {
      if (live) write(`event: ready\ndata: {}\n\n`);
    });
    const beat = setInterval(() => {
      // Signing out (here or on another instance) ends the stream; peek does not prolong the session.
      deps.sessions.peek(sessionId).then(
        (s) => (s ? write(': heartbeat\n\n') : res.end()),
        () => write(': heartbeat\n\n'),
      );
    }, heartbeatMs);
    beat.unref();
    res.on('close', () => {
      clearInterval(beat);
      unsubscribe();
      stopResync();
      open.delete(res);
    });

    // Only once the subscription is live: a `ready` tells the page that from now on nothing is missed.
    await deps.events.ready();
    live = true;
    write(`retry: 5000\nevent: ready\ndata: {}\n\n`);
  };

  return {
    handler,
    get size() {
      return open.size;
    },
    closeAll() {
      for (const res of open) res.end();
    },
  };
}
