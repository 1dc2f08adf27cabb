import { JA } from '../../core/conversation/copy/ja.js';
import { randomUUID } from 'node:crypto';
import type { Facet } from '../../core/knowledge/schema.js';
import type { UsageStats } from '../insights/usage-stats.js';
import { MachineTranslationError } from '../translation/machine-translator.js';
import { BASE_LANGUAGE } from '../../core/knowledge/languages/schema.js';
import type { Logger } from '../log.js';
import { handoffButton, menuQuickReplies } from '../../core/conversation/replies.js';
import type { QuickReply, Reply } from '../../core/conversation/types.js';
import type { HandoffEvents, HandoffStore, TranscriptStore } from './handoff-store.js';
import type { OfficeHours } from '../../core/calendar/office-hours.js';
import type { CloseReason, Handoff, HandoffEvent, HandoffReason, HandoffSummary, TranscriptEntry, NewTranscriptEntry } from './types.js';

/** The way back to the parent (LINE push with a retry key, or the local simulator). Throws when not delivered. */
export interface ParentChannel {
  send(chatId: string, replies: Reply[], quickReplies?: QuickReply[]): Promise<void>;
}

/** Tells staff outside the console that someone is waiting (a push to the staff LINE group). */
export interface StaffAlert {
  notify(handoff: Handoff): Promise<void>;
}

export interface StaffRef {
  /** Account id (stored on the record). */
  id: string;
  /** Shown to the parent. */
  name: string;
}

export interface HandoffServiceDeps {
  store: HandoffStore;
  transcript: TranscriptStore;
  events: HandoffEvents;
  parent: ParentChannel;
  staffAlert?: StaffAlert;
  hours: OfficeHours;
  /** A conversation with staff and no message either way for this long goes back to the bot. */
  idleMs: number;
  /** A knowledge-base answer card, for staff to send one (in the parent's language, when given). */
  answer: (intent: string, facet: Facet, language?: string) => Reply | undefined;
  /**
   * What the bot says to a parent on staff's behalf (the greeting when staff take the conversation, the closing words,
   * their buttons), in the parent's language; 日本語 without it.
   */
  voice?: (language: string | undefined) => ParentVoice;
  /** Machine translation between Japanese and a parent's language, when a provider is configured. */
  translation?: HandoffTranslation;
  logger: Logger;
  /** Counts how long parents waited until staff claimed (for the yearly review). */
  stats?: Pick<UsageStats, 'recordClaim'>;
  now?: () => number;
}

/** Machine translation as the handoff loop uses it (see src/app/translation/machine-translator.ts). */
export interface HandoffTranslation {
  /** Whether the provider has the language (やさしい日本語 and 日本語 never need it). */
  supports(language: string): boolean;
  /** One translation per text, in order; throws MachineTranslationError. */
  translate(texts: readonly string[], from: string, to: string): Promise<string[]>;
}

/** A staff reply that was to go out machine-translated, and could not be translated: nothing was sent. */
export class UntranslatedError extends Error {
  constructor(readonly retryable: boolean) {
    super('the reply could not be machine-translated');
    this.name = 'UntranslatedError';
  }
}

/** How many of a parent's latest messages the console shows translated. */
export const TRANSLATED_FOR_STAFF = 20;

export interface OpenInput {
  userId: string;
  chatId: string;
  reason: HandoffReason;
  urgent?: boolean;
  summary: HandoffSummary;
}

const OPEN = ['waiting', 'active'] as const;

/** What the parent is told when a handoff ends; nothing after an erase (the erase says it). */
export const CLOSE_TEXT: Record<CloseReason, string> = { ...JA.handoff.closed, erased: '' };

/**
 * The handoff loop between a parent and the concierge staff: open, claim, reply, note, close, and the return to
 * the bot after idleness. Records live in the store (shared by every instance); every change is broadcast so open
 * consoles update live. Never logs what anyone wrote.
 */
/** LINE's limit for one text message. */
export const MAX_ENTRY_CHARS = 5000;

/** The sentences and buttons the handoff loop says to a parent (a Voice of the conversation core fits). */
export interface ParentVoice {
  copy: {
    handoff: { staffGreeting(name: string): string; machineTranslated(text: string): string; closed: Record<'staff' | 'idle' | 'cancelled', string> };
  };
  menu(): QuickReply[];
  handoff: QuickReply;
}

const JAPANESE_VOICE: ParentVoice = { copy: JA, menu: menuQuickReplies, handoff: handoffButton };

export class HandoffService {
  private voiceOf(h: Handoff): ParentVoice {
    return this.deps.voice?.(h.summary.language) ?? JAPANESE_VOICE;
  }

  /**
   * Every transcript entry is bounded: LINE's own limit for a text message is 5,000 characters, so anything longer
   * did not come from a person typing, and must not fill Redis or the console page.
   */
  private appendToTranscript(userId: string, entry: NewTranscriptEntry): Promise<string> {
    const text = entry.text.length > MAX_ENTRY_CHARS ? `${entry.text.slice(0, MAX_ENTRY_CHARS)}…（長すぎるため以下を省略しました）` : entry.text;
    return this.deps.transcript.append(userId, { ...entry, text });
  }

  private readonly now: () => number;

  constructor(private readonly deps: HandoffServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  get hours(): OfficeHours {
    return this.deps.hours;
  }

  openFor(userId: string): Promise<Handoff | undefined> {
    return this.deps.store.openFor(userId);
  }

  get(id: string): Promise<Handoff | undefined> {
    return this.deps.store.get(id);
  }

  listOpen(): Promise<Handoff[]> {
    return this.deps.store.listOpen();
  }

  listClosed(limit = 50): Promise<Handoff[]> {
    return this.deps.store.listClosed(limit);
  }

  async transcript(id: string): Promise<{ handoff: Handoff; entries: TranscriptEntry[] } | undefined> {
    const handoff = await this.deps.store.get(id);
    if (!handoff) return undefined;
    return { handoff, entries: await this.deps.transcript.list(handoff.userId) };
  }

  /** The newest message from the parent among the conversation's last entries, for the queue's preview. */
  async lastFromParent(h: Handoff): Promise<TranscriptEntry | undefined> {
    const entries = await this.deps.transcript.list(h.userId, 20);
    return entries.filter((e) => e.from === 'parent').at(-1);
  }

  /** Opens a handoff, or returns the one already open for this person (made urgent if this one is). */
  async open(input: OpenInput): Promise<{ handoff: Handoff; created: boolean }> {
    const at = this.now();
    const handoff: Handoff = {
      id: randomUUID(),
      userId: input.userId,
      chatId: input.chatId,
      status: 'waiting',
      reason: input.reason,
      urgent: input.urgent ?? input.reason === 'emergency',
      openedAt: at,
      lastActivityAt: at,
      summary: input.summary,
    };
    if (await this.deps.store.create(handoff)) {
      await this.system(handoff.userId, `担当者への引き継ぎを受け付けました（${REASON_LABELS[handoff.reason]}）`);
      await this.publish({ type: 'opened', handoffId: handoff.id, urgent: handoff.urgent, at });
      this.deps.logger.info({ handoffId: handoff.id, reason: handoff.reason, urgent: handoff.urgent }, 'handoff opened');
      await this.alert(handoff);
      return { handoff, created: true };
    }
    const existing = await this.deps.store.openFor(input.userId);
    if (!existing) throw new Error('handoff could not be opened');
    if (handoff.urgent && !existing.urgent) {
      const updated = await this.deps.store.update(existing.id, OPEN, { urgent: true, summary: { ...existing.summary, ...input.summary } });
      if (updated) {
        await this.publish({ type: 'updated', handoffId: existing.id, urgent: true, at });
        await this.alert(updated);
        return { handoff: updated, created: false };
      }
    }
    return { handoff: existing, created: false };
  }

  /** The parent withdraws a handoff nobody has taken yet. */
  async cancel(userId: string): Promise<Handoff | undefined> {
    const open = await this.deps.store.openFor(userId);
    if (!open) return undefined;
    return this.finish(open.id, ['waiting'], 'cancelled', undefined, false);
  }

  async claim(id: string, staff: StaffRef): Promise<Handoff | undefined> {
    const at = this.now();
    const h = await this.deps.store.update(id, ['waiting'], { status: 'active', claimedAt: at, claimedBy: staff.id, lastActivityAt: at });
    if (!h) return undefined;
    await this.deps.stats?.recordClaim(at - h.openedAt, at).catch((err: Error) => this.deps.logger.warn({ err: err.message }, 'claim time not recorded'));
    await this.system(h.userId, `${staff.name} さんが対応を始めました`);
    await this.publish({ type: 'claimed', handoffId: id, at });
    await this.toParent(h, [{ type: 'text', text: this.voiceOf(h).copy.handoff.staffGreeting(staff.name) }]);
    return h;
  }

  /** Whether a staff reply to this parent goes out machine-translated (their language, a provider that has it). */
  translates(h: Handoff): boolean {
    const language = h.summary.language;
    return !!language && !!this.deps.translation?.supports(language);
  }

  /**
   * A staff reply, pushed to the parent. To a parent who reads another language it goes out machine-translated and
   * labelled so (unless `asIs`), the Japanese kept in the transcript beside what was sent; if the translation fails
   * nothing is sent (UntranslatedError). False when the handoff is not with staff any more.
   */
  async reply(id: string, staff: StaffRef, text: string, opts: { asIs?: boolean } = {}): Promise<boolean> {
    const current = await this.deps.store.get(id);
    if (!current) return false;
    let translated: TranscriptEntry['translated'];
    if (!opts.asIs && this.translates(current)) {
      const language = current.summary.language!;
      let out: string | undefined;
      try {
        [out] = await this.deps.translation!.translate([text], BASE_LANGUAGE, language);
      } catch (err) {
        if (!(err instanceof MachineTranslationError)) throw err;
        this.deps.logger.warn({ err: err.message, status: err.status }, 'staff reply not machine-translated');
        throw new UntranslatedError(err.retryable);
      }
      if (!out) throw new UntranslatedError(false);
      translated = { language, text: this.voiceOf(current).copy.handoff.machineTranslated(out) };
    }
    const h = await this.touch(id);
    if (!h) return false;
    await this.toParent(h, [{ type: 'text', text: translated?.text ?? text }]);
    await this.appendToTranscript(h.userId, { at: this.now(), from: 'staff', text, staff: staff.name, ...(translated ? { translated } : {}) });
    await this.publish({ type: 'message', handoffId: id, at: this.now() });
    return true;
  }

  /**
   * The parent's latest messages in Japanese, for staff (by entry id), when the parent reads another language and a
   * provider has it; translated when the page is drawn and kept nowhere. `failed` when the provider did not answer.
   */
  async translatedForStaff(h: Handoff, entries: readonly TranscriptEntry[]): Promise<{ texts: Map<string, string>; failed: boolean }> {
    const texts = new Map<string, string>();
    if (!this.translates(h)) return { texts, failed: false };
    const wanted = entries.filter((e) => e.from === 'parent').slice(-TRANSLATED_FOR_STAFF);
    if (!wanted.length) return { texts, failed: false };
    try {
      const out = await this.deps.translation!.translate(
        wanted.map((e) => e.text),
        h.summary.language!,
        BASE_LANGUAGE,
      );
      wanted.forEach((e, i) => out[i] !== undefined && texts.set(e.id, out[i]!));
      return { texts, failed: false };
    } catch (err) {
      if (!(err instanceof MachineTranslationError)) throw err;
      this.deps.logger.warn({ err: err.message, status: err.status }, 'parent messages not machine-translated for staff');
      return { texts, failed: true };
    }
  }

  /** Sends a knowledge-base answer card as the staff member's reply. */
  async sendAnswer(id: string, staff: StaffRef, intent: string, facet: Facet): Promise<boolean> {
    // In the parent's language: staff send the card with one click whatever language the parent reads.
    const language = (await this.deps.store.get(id))?.summary.language;
    const card = this.deps.answer(intent, facet, language);
    if (!card) return false;
    const h = await this.touch(id);
    if (!h) return false;
    await this.toParent(h, [card]);
    await this.appendToTranscript(h.userId, { at: this.now(), from: 'staff', text: replyText(card), staff: staff.name });
    await this.publish({ type: 'message', handoffId: id, at: this.now() });
    return true;
  }

  /** An internal note: in the transcript for staff, never sent. */
  async note(id: string, staff: StaffRef, text: string): Promise<boolean> {
    const h = await this.deps.store.get(id);
    if (!h) return false;
    await this.appendToTranscript(h.userId, { at: this.now(), from: 'note', text, staff: staff.name });
    await this.publish({ type: 'message', handoffId: id, at: this.now() });
    return true;
  }

  async close(id: string, staff: StaffRef): Promise<Handoff | undefined> {
    return this.finish(id, OPEN, 'staff', staff.id, true);
  }

  /** Returns conversations with staff that went quiet to the bot, telling the parent. Safe on every instance. */
  async sweepIdle(): Promise<number> {
    const cutoff = this.now() - this.deps.idleMs;
    let closed = 0;
    for (const h of await this.deps.store.listOpen()) {
      if (h.status !== 'active' || h.lastActivityAt > cutoff) continue;
      // The status check in the store makes sure only one instance closes and notifies.
      if (await this.finish(h.id, ['active'], 'idle', undefined, true, h.lastActivityAt)) closed++;
    }
    return closed;
  }

  /** A message from the parent while a handoff is open: into the transcript and onto the staff's screens. */
  async recordParent(userId: string, text: string, messageId?: string, known?: { open: Handoff | undefined }): Promise<void> {
    await this.appendToTranscript(userId, { at: this.now(), from: 'parent', text, ...(messageId ? { messageId } : {}) });
    // The caller has usually just looked the handoff up; looking again would cost a round trip per message.
    const open = known ? known.open : await this.deps.store.openFor(userId);
    if (!open) return;
    const at = this.now();
    await this.deps.store.update(open.id, OPEN, { lastActivityAt: at });
    await this.publish({ type: 'message', handoffId: open.id, at });
  }

  /** A message to a parent outside a reply (the outcome of an erase that had to wait for Redis). */
  async tellParent(chatId: string, replies: Reply[]): Promise<void> {
    await this.deps.parent.send(chatId, replies);
  }

  /** When staff last wrote to this person (undefined when they have not, in the kept transcript). */
  async lastStaffReplyAt(userId: string): Promise<number | undefined> {
    const entries = await this.deps.transcript.list(userId, 50);
    return entries.filter((e) => e.from === 'staff').at(-1)?.at;
  }

  async recordBot(userId: string, replies: Reply[]): Promise<void> {
    // Issued together (one round trip); the store keeps them in the order given.
    const at = this.now();
    await Promise.all(replies.map((r) => this.appendToTranscript(userId, { at, from: 'bot', text: replyText(r) })));
  }

  /** The parent unsent a message: it disappears from the transcript, and open consoles refresh. */
  async removeMessage(userId: string, messageId: string): Promise<void> {
    const removed = await this.deps.transcript.removeMessage(userId, messageId);
    const open = removed ? await this.deps.store.openFor(userId) : undefined;
    if (open) await this.publish({ type: 'updated', handoffId: open.id, at: this.now() });
  }

  /**
   * Unfollow or an erase request: an open handoff is closed without a message, then every handoff record naming the
   * person (the summary: island, children's ages, topics) and the transcript are deleted — not left for 30 days under
   * 最近終了した相談.
   */
  async erase(userId: string): Promise<void> {
    const open = await this.deps.store.openFor(userId);
    if (open) await this.finish(open.id, OPEN, 'erased', undefined, false);
    const erased = await this.deps.store.eraseUser(userId);
    await this.deps.transcript.erase(userId);
    for (const handoffId of erased) await this.publish({ type: 'updated', handoffId, at: this.now() });
  }

  private async finish(
    id: string,
    from: readonly ('waiting' | 'active')[],
    reason: CloseReason,
    by: string | undefined,
    tell: boolean,
    idleSince?: number,
  ): Promise<Handoff | undefined> {
    const at = this.now();
    const patch: Partial<Handoff> = { status: 'closed', closedAt: at, closeReason: reason, ...(by ? { closedBy: by } : {}) };
    const h = await this.deps.store.update(id, from, idleSince === undefined ? patch : { ...patch, lastActivityAt: idleSince });
    if (!h) return undefined;
    if (reason !== 'erased') await this.system(h.userId, `担当者との会話を終了しました（${CLOSE_LABELS[reason]}）`);
    await this.publish({ type: 'closed', handoffId: id, at });
    this.deps.logger.info({ handoffId: id, closeReason: reason }, 'handoff closed');
    if (tell) {
      const voice = this.voiceOf(h);
      const text = reason === 'erased' ? CLOSE_TEXT[reason] : voice.copy.handoff.closed[reason];
      await this.toParent(h, [{ type: 'text', text }], reason === 'idle' ? [voice.handoff, ...voice.menu().slice(0, -1)] : voice.menu());
    }
    return h;
  }

  private async touch(id: string): Promise<Handoff | undefined> {
    return this.deps.store.update(id, ['active'], { lastActivityAt: this.now() });
  }

  private async system(userId: string, text: string): Promise<void> {
    await this.appendToTranscript(userId, { at: this.now(), from: 'system', text });
  }

  private async toParent(h: Handoff, replies: Reply[], quickReplies?: QuickReply[]): Promise<void> {
    await this.deps.parent.send(h.chatId, replies, quickReplies);
  }

  private async publish(event: HandoffEvent): Promise<void> {
    try {
      await this.deps.events.publish(event);
    } catch (err) {
      // Consoles catch up on their next load; the handoff itself is stored.
      this.deps.logger.warn({ handoffId: event.handoffId, err: (err as Error).message }, 'handoff event not broadcast');
    }
  }

  private async alert(h: Handoff): Promise<void> {
    if (!this.deps.staffAlert) return;
    try {
      await this.deps.staffAlert.notify(h);
    } catch (err) {
      this.deps.logger.warn({ handoffId: h.id, err: (err as Error).message }, 'staff alert failed');
    }
  }
}

export const REASON_LABELS: Record<HandoffReason, string> = {
  requested: 'ご本人の希望',
  judgment: '個別の判断が必要な相談',
  repeated_misses: '自動応答でお答えできなかった',
  emergency: '緊急',
};

const CLOSE_LABELS: Record<CloseReason, string> = {
  staff: '担当者が終了',
  idle: '一定時間やりとりがなかったため自動で終了',
  cancelled: 'ご本人が取り消し',
  erased: 'データ削除',
};

/** A one-line text of what the bot or staff sent, for the transcript. */
export function replyText(r: Reply): string {
  if (r.type === 'text') return r.text;
  if (r.type === 'answer') return `［${r.title}・${r.facetLabel}］${r.text}`;
  if (r.type === 'recommendations') return `［おすすめ］${r.items.map((i) => `${i.title}（${i.reason}）`).join(' / ')}`;
  if (r.type === 'facilities') return `［施設］${r.items.map((i) => i.name).join(' / ')}`;
  return `［緊急: ${r.title}］${r.text}`;
}
