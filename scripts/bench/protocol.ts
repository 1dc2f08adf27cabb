// Messages between the bench (which runs the app) and its LINE simulator child (which sends the webhooks and
// plays the LINE API), over the child's IPC channel.

export interface PlannedEvent {
  userId: string;
  text: string;
}

export type ToSimulator =
  /** Closed loop over `concurrency` connections, or (with `rate`) open loop at `rate` events per second. */
  | { type: 'run'; appUrls: string[]; channelSecret: string; concurrency: number; rate?: number; events: PlannedEvent[]; replyTimeoutMs: number }
  | { type: 'exit' };

export interface RoundResult {
  events: number;
  durationMs: number;
  eventsPerSecond: number;
  /** Open loop only: the rate the events were sent at, and how many connections that took. */
  offeredRate?: number;
  connectionsUsed?: number;
  /** From sending (open loop: from when it was due) the webhook request to the stub receiving the reply call for its reply token. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** From sending the webhook request to its 200 (the app answers before processing the event). */
  ackP50Ms: number;
  ackP99Ms: number;
  /** Events whose reply never arrived (within replyTimeoutMs), and reply tokens answered more than once. */
  lost: number;
  doubled: number;
  /** Webhook requests not answered 200, and API calls other than reply (push = reply fell back, loading = slow). */
  non200: number;
  pushes: number;
  loading: number;
  unknownReplies: number;
  /** CPU time per event: the simulator's own (filled in by it), the app's (all instances) and Redis's (by the bench). */
  simCpuMsPerEvent: number;
  appCpuMsPerEvent?: number;
  redisCpuMsPerEvent?: number;
  /** Commands the app sent to Redis per event (a MULTI block counts each command). */
  redisCommandsPerEvent?: number;
}

export type FromSimulator = { type: 'stub'; baseURL: string } | { type: 'result'; result: RoundResult } | { type: 'error'; message: string };

/** Between the bench and each app instance it runs (scripts/bench/app-instance.ts). */
export type ToInstance =
  | {
      type: 'start';
      redisUrl: string;
      prefix: string;
      channelSecret: string;
      lineApiBaseUrl: string;
      logLevel: string;
      settleMs?: number;
      memoryStore?: boolean;
    }
  /** Waits until the instance has processed everything it accepted, then reports its totals so far. */
  | { type: 'stats' }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; file: string }
  | { type: 'exit' };

export type FromInstance =
  | { type: 'ready'; url: string }
  | { type: 'stats'; cpuMs: number; commands: number; rssMb: number; heapMb: number }
  | { type: 'ok' }
  | { type: 'error'; message: string };
