/**
 * Webhook event ids seen lately (LINE redelivers an event it is not sure arrived): the webhook's own port, served by
 * the process's store (memory or Redis) with a TTL.
 */
export interface SeenEvents {
  /** Marks an event id as seen; false when it was already seen (duplicate delivery). */
  markEvent(eventId: string): Promise<boolean>;
}
