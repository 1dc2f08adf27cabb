import { Cluster, type Redis } from 'ioredis';
import type { Logger } from '../../app/log.js';
import type { RedisClient } from './redis-client.js';

export interface ChannelSubscriptionOptions {
  /** The shared client; the subscription opens a connection of its own from its settings (pub/sub needs one). */
  redis: RedisClient;
  channel: string;
  onMessage(message: string): void;
  /** Called each time the subscription is live again after the connection was lost (events in between are gone). */
  onResubscribed?(): void;
  logger?: Logger;
  /** Names the subscription in log lines. */
  what: string;
  /** Wait before trying again after a failed SUBSCRIBE (default 1 s). */
  retryMs?: number;
}

/**
 * One Redis pub/sub channel on a dedicated connection, live whenever Redis is reachable.
 *
 * Why not `redis.duplicate()` and `subscribe()` alone: the shared client turns its offline queue off once connected
 * (so ordinary commands fail fast while Redis is away), and a duplicate made after that copies the setting — its
 * SUBSCRIBE, issued before the new connection is up, then fails with "Stream isn't writeable" and nothing is ever
 * received. The subscriber's own connection therefore queues, and it subscribes itself on every (re)connection, so
 * `ready()` means "subscribed now" and `onResubscribed` tells listeners to catch up on what they missed.
 */
export class ChannelSubscription {
  private readonly conn: RedisClient;
  private live = false;
  private closed = false;
  private connections = 0;
  private waiters: (() => void)[] = [];
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly opts: ChannelSubscriptionOptions) {
    // Named for CLIENT LIST (operators, and tests that cut exactly this connection).
    const own = { enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, connectionName: `sub:${opts.channel}` };
    this.conn =
      opts.redis instanceof Cluster
        ? // A cluster client resubscribes itself when its subscriber node changes; ours re-issues SUBSCRIBE on 'ready'.
          opts.redis.duplicate([], { enableOfflineQueue: true, redisOptions: { ...opts.redis.options.redisOptions, ...own } })
        : (opts.redis as Redis).duplicate({ ...own, autoResubscribe: false });
    this.conn.on('error', () => undefined); // the shared client already reports connection trouble
    this.conn.on('message', (channel: string, message: string) => {
      if (channel === opts.channel) opts.onMessage(message);
    });
    this.conn.on('ready', () => this.subscribe());
    this.conn.on('close', () => {
      this.live = false;
    });
  }

  private subscribe(): void {
    if (this.closed) return;
    clearTimeout(this.retry);
    this.conn.subscribe(this.opts.channel).then(
      () => {
        if (this.closed) return;
        this.live = true;
        this.connections++;
        for (const w of this.waiters.splice(0)) w();
        if (this.connections > 1) {
          this.opts.logger?.info({ subscription: this.opts.what }, 'subscription live again after a reconnect');
          this.opts.onResubscribed?.();
        }
      },
      (err: Error) => {
        if (this.closed) return;
        this.opts.logger?.warn({ subscription: this.opts.what, err: err.message }, 'subscription failed; trying again');
        this.retry = setTimeout(() => this.subscribe(), this.opts.retryMs ?? 1000);
        this.retry.unref();
      },
    );
  }

  /** True while messages published now are received. */
  get isLive(): boolean {
    return this.live;
  }

  /** Resolves once the channel is subscribed on a live connection (at once if it is). */
  ready(): Promise<void> {
    if (this.live || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    for (const w of this.waiters.splice(0)) w();
    // QUIT would wait in the offline queue for a connection that may never come.
    if (this.conn.status === 'ready') await this.conn.quit().catch(() => this.conn.disconnect());
    else this.conn.disconnect();
  }
}
