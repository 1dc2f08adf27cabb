import { z } from 'zod';
import { ACTIONS, type ConversationState, type Response } from '../../core/conversation/types.js';

/**
 * What one webhook event was answered, kept with the person's state: an event another instance takes over after
 * its drainer stopped in the middle (see the webhook's per-person queue) is then answered again without being
 * handled again — its state, transcript and counts are written once.
 */
export interface AppliedTurn {
  eventId: string;
  response: Pick<Response, 'decision' | 'replies' | 'quickReplies'>;
}

/** An applied turn read back from storage: written by this app, so its outline is checked, not every reply's fields. */
export const StoredTurn = z
  .object({
    eventId: z.string(),
    response: z.object({
      decision: z.object({ action: z.enum(ACTIONS) }).passthrough(),
      replies: z.array(z.object({ type: z.string() }).passthrough()),
      quickReplies: z.array(z.object({ label: z.string() }).passthrough()),
    }),
  })
  .transform((turn) => turn as unknown as AppliedTurn);

/*
 * The conversation service's storage, as small ports with one job each (in the manner of grammY's storage adapters:
 * read, write, delete of one kind of value). Event de-duplication and readiness are not the conversation's business:
 * the webhook declares the port it needs for the one (SeenEvents) and the HTTP app for the other (Readiness).
 * Memory and Redis implement them all over one connection; every value expires after the store's TTL so nothing a
 * parent wrote is kept longer than the retention limit.
 */

/** Each person's conversation state between messages. */
export interface ConversationStates {
  get(userId: string): Promise<ConversationState | undefined>;
  /**
   * Stores the state; with `turn`, in the same atomic write, what the event that led to it was answered (see
   * AppliedTurn): an instance that takes the event over finds it applied exactly when its state was stored.
   */
  set(userId: string, state: ConversationState, turn?: AppliedTurn): Promise<void>;
  /** Forgets everything kept about the person: the state and the applied turn with it. */
  delete(userId: string): Promise<void>;
}

/** What each person's latest handled event was answered (only the latest is kept). */
export interface AppliedTurns {
  /** Notes what an event was answered when it left the state as it was. */
  recordTurn(userId: string, turn: AppliedTurn): Promise<void>;
  /** What this event was answered if it was handled already. */
  appliedTurn(userId: string, eventId: string): Promise<AppliedTurn | undefined>;
}

/**
 * Both, from one store: the state and its applied turn must be written in one atomic step (Redis: one Lua script
 * on keys of the same hash tag), so the service takes them together.
 */
export type ConversationStore = ConversationStates & AppliedTurns;
