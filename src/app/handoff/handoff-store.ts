import type { Handoff, HandoffEvent, HandoffStatus, NewTranscriptEntry, TranscriptEntry } from './types.js';

/**
 * Handoff records, shared by every app instance. Status changes are compare-and-set so that two staff members
 * (or two instances) can never both claim or close the same conversation.
 */
export interface HandoffStore {
  /** Stores a new open handoff; false when the user already has one open (nothing is written then). */
  create(handoff: Handoff): Promise<boolean>;
  get(id: string): Promise<Handoff | undefined>;
  /** The user's open (waiting or active) handoff. */
  openFor(userId: string): Promise<Handoff | undefined>;
  /**
   * Applies `patch` only when the record's status is one of `from`; returns the updated record, or undefined when
   * it is missing or in another status. A patch to status `closed` also frees the user for a new handoff.
   */
  update(id: string, from: readonly HandoffStatus[], patch: Partial<Handoff>): Promise<Handoff | undefined>;
  /** Open handoffs, oldest first. */
  listOpen(): Promise<Handoff[]>;
  /** Recently closed handoffs, newest first. */
  listClosed(limit: number): Promise<Handoff[]>;
  /** Deletes every handoff record naming this user, open or closed (an erase means everything); returns their ids. */
  eraseUser(userId: string): Promise<string[]>;
}

/** Every message of a conversation (parent, bot, staff, internal notes), kept for the retention period only. */
export interface TranscriptStore {
  append(userId: string, entry: NewTranscriptEntry): Promise<string>;
  /** Oldest first; at most `limit` of the newest entries. */
  list(userId: string, limit?: number): Promise<TranscriptEntry[]>;
  /** Removes the entry carrying this platform message id (the parent unsent it). */
  removeMessage(userId: string, messageId: string): Promise<number>;
  erase(userId: string): Promise<void>;
}

/** Live notifications between instances (Redis pub/sub) or within one (memory). */
export interface HandoffEvents {
  publish(event: HandoffEvent): Promise<void>;
  subscribe(listener: (event: HandoffEvent) => void): () => void;
  /** Called when the subscription is live again after a lost connection: events in between were missed. */
  onResubscribed(listener: () => void): () => void;
  /** Resolves when subscriptions made so far receive events. */
  ready(): Promise<void>;
  close(): Promise<void>;
}
