import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics for this instance: webhook events, decisions by action, latencies and the handoff queue.
 * Its own registry (not prom-client's global one) so several app instances can live in one test process.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly events: Counter<'type'>;
  private readonly eventSeconds: Histogram;
  private readonly decisions: Counter<'action'>;
  private readonly decisionSeconds: Histogram;

  constructor(opts: { handoffQueueLength?: () => Promise<number>; defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'kc_' });
    this.events = new Counter({ name: 'kc_webhook_events_total', help: 'LINE webhook events accepted, by type', labelNames: ['type'], registers });
    this.eventSeconds = new Histogram({
      name: 'kc_webhook_event_seconds',
      help: 'From accepting a webhook event to its reply or push being sent',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.decisions = new Counter({ name: 'kc_decisions_total', help: 'Conversation decisions, by action', labelNames: ['action'], registers });
    this.decisionSeconds = new Histogram({
      name: 'kc_decision_seconds',
      help: 'Time to decide one message (state, core, transcript)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    const queue = opts.handoffQueueLength;
    if (queue)
      new Gauge({
        name: 'kc_handoff_queue_length',
        help: 'Handoffs waiting for or being handled by staff',
        registers,
        async collect() {
          try {
            this.set(await queue());
          } catch {
            // Redis away: leave the last value; /metrics must still answer.
          }
        },
      });
  }

  event(type: string): void {
    this.events.inc({ type });
  }

  eventDone(seconds: number): void {
    this.eventSeconds.observe(seconds);
  }

  decision(action: string, seconds: number): void {
    this.decisions.inc({ action });
    this.decisionSeconds.observe(seconds);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
