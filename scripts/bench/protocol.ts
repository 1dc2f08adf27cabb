// Messages between the bench (which runs the app) and its LINE simulator child (which sends the webhooks and
// plays the LINE API), over the child's IPC channel.

export interface PlannedEvent {
  userId: string;
  text: string;
}

export type ToSimulator =
  | { type: 'run'; appUrl: string; channelSecret: string; concurrency: number; events: PlannedEvent[]; replyTimeoutMs: number }
  | { type: 'exit' };

export interface RoundResult {
  events: number;
  durationMs: number;
  eventsPerSecond: number;
  /** From sending the webhook request to the stub receiving the reply call for its reply token. */
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
  /** CPU time per event: the simulator's own (filled in by it), the app's and Redis's (filled in by the bench). */
  simCpuMsPerEvent: number;
  appCpuMsPerEvent?: number;
  redisCpuMsPerEvent?: number;
  /** Commands the app sent to Redis per event (a MULTI block counts each command). */
  redisCommandsPerEvent?: number;
}

export type FromSimulator = { type: 'stub'; baseURL: string } | { type: 'result'; result: RoundResult } | { type: 'error'; message: string };
