import { MISSES_BEFORE_OFFER } from '../../core/conversation/policy.js';
import type { HandoffService } from '../handoff/service.js';
import { WITH_STAFF, type Handoff, type HandoffReason } from '../handoff/types.js';
import { maskPersonalData } from '../../core/privacy/mask.js';
import type { UnansweredLog } from '../insights/unanswered.js';
import type { WrongReportStore } from '../insights/wrong-reports.js';
import type { UsageStats } from '../insights/usage-stats.js';
import type { Logger } from '../log.js';
import type { AppliedTurn, ConversationStore } from './state-store.js';
import type { PromiseSpool } from './promise-spool.js';
import { KeptPromises } from './promises.js';
import type { Concierge } from '../../core/conversation/concierge.js';
import type { Turn } from '../../core/conversation/turn.js';
import { describeChildren } from '../../core/conversation/facts.js';
import { decodePostback } from '../../core/conversation/postback.js';
import type { ConversationHandler, MessageMeta } from './service-types.js';
import type { OutputChannel } from './output-channel.js';
import { emptyState, type ConversationState, type Incoming, type Reply, type Response } from '../../core/conversation/types.js';

export interface ConversationServiceDeps {
  concierge: () => Concierge;
  store: ConversationStore;
  /** Without it (CLI, evaluation) a handoff is only the core's reply. */
  handoff?: HandoffService;
  /** Monthly counters (answers per service, feedback); optional. */
  stats?: UsageStats;
  /** How soon a handoff or erase that could not be done is tried again (default 2 s; longer while it keeps failing). */
  handoffRetryMs?: number;
  /** Where handoffs and erases promised while the store is away outlive the process (see KeptPromises). */
  spool?: PromiseSpool;
  /** A promise still not kept after this long is given up (default 24 h). */
  promiseMaxAgeMs?: number;
  /** Prometheus counters and latency; optional. */
  metrics?: { decision(action: string, seconds: number): void };
  /** Questions the bot could not answer well, masked, for staff; optional. */
  unanswered?: UnansweredLog;
  /** Parents' 「この情報はまちがっている」 reports, for staff; optional. */
  reports?: WrongReportStore;
  /** The knowledge-base version answering now, kept with a report. */
  knowledgeVersion?: () => number | undefined;
  logger?: Logger;
  now?: () => number;
}

// A parent withdrawing a handoff that nobody has taken yet: 「キャンセル」「やっぱりいいです」.
// Taking back a request for a person, in the words parents use: 「ボットに戻して」「やっぱりいいです」「自分で調べます」.
const CANCEL =
  /^(キャンセル|取り消|とりけ|やめます|やめる|やめとき|やっぱり(いい|ええ|大丈夫|結構|やめ)|もう(いい|ええ|大丈夫|結構)|大丈夫になりました|解決しました|自分で調べ)|(ボット|ぼっと|自動応答|bot|ai|機械)(に|で)(戻|もど|いい|ええ|大丈夫)|cancel|never ?mind/i;
/** A stretch of messages during a handoff: the parent hears once per stretch that their messages reach staff. */
const ACK_STRETCH_MS = 30 * 60_000;
/** While staff have claimed the conversation, a message after this long without a staff reply is acknowledged. */
const STAFF_QUIET_MS = 10 * 60_000;

/** A turn's answer, and what it leaves to store once the answer is known (written while the answer is sent). */
interface Outcome {
  response: Response;
  /**
   * The conversation state to keep (stored last, with the note that the event is applied), the bot's replies for the
   * transcript, or `erased`: nothing at all is kept.
   */
  store: { state?: ConversationState; transcript?: Reply[]; erased?: true };
}

const describeIncoming = (m: Incoming): string =>
  m.kind === 'text'
    ? m.text
    : m.kind === 'postback'
      ? '［ボタン操作］'
      : m.kind === 'follow'
        ? '［友だち追加］'
        : m.kind === 'join'
          ? '［グループに参加］'
          : {
              sticker: '［スタンプ］',
              image: '［画像］',
              video: '［動画］',
              audio: '［音声］',
              file: '［ファイル］',
              location: '［位置情報］',
              other: '［その他のメッセージ］',
            }[m.what];

/**
 * Wraps the pure core with I/O: conversation state, the transcript and the handoff loop. While a person is handed
 * over to staff the bot stays silent (except in an emergency) and their messages go to the staff console.
 */
export class ConversationService implements ConversationHandler {
  private readonly now: () => number;

  constructor(private readonly deps: ConversationServiceDeps) {
    this.now = deps.now ?? Date.now;
    const { handoff } = deps;
    this.promises = handoff
      ? new KeptPromises({
          handoff,
          erase: (userId) => this.eraseAll(userId),
          eraseFailedText: () => deps.concierge().copy.eraseFailed,
          ...(deps.spool ? { spool: deps.spool } : {}),
          ...(deps.logger ? { logger: deps.logger } : {}),
          ...(deps.handoffRetryMs !== undefined ? { retryMs: deps.handoffRetryMs } : {}),
          ...(deps.promiseMaxAgeMs !== undefined ? { maxAgeMs: deps.promiseMaxAgeMs } : {}),
          now: this.now,
        })
      : undefined;
  }

  async handle(userId: string, message: Incoming, meta: MessageMeta = {}, output?: OutputChannel): Promise<Response> {
    const t0 = performance.now();
    const { handoff } = this.deps;
    const { eventId } = meta;
    // Reads go out together and writes go out together: a message costs two round trips to Redis, not one per step.
    // Without Redis the bot keeps answering, only without the conversation's context.
    const [stored, open, appliedBefore] = await Promise.all([
      this.attempt('conversation state read', () => this.deps.store.get(userId), undefined),
      handoff ? this.attempt('handoff lookup', () => handoff.openFor(userId), undefined) : undefined,
      meta.resumed && eventId ? this.attempt('applied turn read', () => this.deps.store.appliedTurn(userId, eventId), undefined) : undefined,
    ]);
    if (appliedBefore) {
      // A stopped instance handled this event and stored its outcome; only its answer may not have gone out. Send
      // the same answer again, and write nothing twice.
      const again: Response = { ...appliedBefore.response, state: stored ?? emptyState() };
      this.deps.logger?.info({ resumed: true }, 'event already handled by a stopped instance: answering again, storing nothing');
      await output?.send(again);
      return again;
    }
    const before = stored ?? emptyState();
    const turn = this.deps.concierge().respond(message, before, this.now());
    // The parent's words go into the transcript first, ahead of whatever the turn adds to it (an erase keeps nothing).
    const heard =
      handoff && turn.decision.reason !== 'erase'
        ? this.attempt('transcript write', () => handoff.recordParent(userId, describeIncoming(message), meta.messageId, { open }), undefined)
        : undefined;
    const { response, store } = await this.applyTurn(userId, message, meta, turn, before, open, heard);
    const writes: Promise<unknown>[] = [heard, ...this.writeTranscript(userId, store)].filter((w) => w !== undefined);
    this.deps.metrics?.decision(response.decision.action, (performance.now() - t0) / 1000);
    // The one send of this turn: the parent waits for the answer, not for the writes below.
    const delivered = output?.send(response);
    writes.push(
      (async () => {
        await Promise.all([this.deps.stats?.record(response.decision, this.now()), this.logUnanswered(userId, message, before, response)]);
      })().catch((err: unknown) => {
        // Statistics never cost a parent their answer.
        this.deps.logger?.warn({ err: (err as Error).message }, 'usage statistics not recorded');
      }),
    );
    if (response.decision.report)
      writes.push(
        this.recordReport(userId, message, response.decision.report).catch((err: unknown) => {
          this.deps.logger?.warn({ err: (err as Error).message }, 'wrong-information report not stored');
        }),
      );
    // The turn's other writes first, then its state together with the note that this event is applied (one atomic
    // write): an instance that takes the event over finds it applied only if all of it was written. Both finish
    // before the person's next message is handled, even when sending failed.
    const applied = eventId
      ? { eventId, response: { decision: response.decision, replies: response.replies, quickReplies: response.quickReplies } }
      : undefined;
    const [, sent] = await Promise.allSettled([Promise.all(writes).then(() => this.commit(userId, store, applied)), delivered]);
    if (sent.status === 'rejected') throw sent.reason;
    return response;
  }

  /** Writes the bot's replies to the transcript (a failure is logged: the parent has their answer either way). */
  private writeTranscript(userId: string, { transcript }: Outcome['store']): Promise<unknown>[] {
    const { handoff } = this.deps;
    return transcript && handoff ? [this.attempt('transcript write', () => handoff.recordBot(userId, transcript), undefined)] : [];
  }

  /** Fallbacks, ignored clarifications, handoffs and 役に立たなかった, masked, for staff to learn from. */
  private async logUnanswered(userId: string, message: Incoming, before: ConversationState, response: Response): Promise<void> {
    const log = this.deps.unanswered;
    if (!log) return;
    const { decision } = response;
    const at = this.now();
    // Masked only when it is kept: most messages are answered and leave nothing here.
    const text = () => (message.kind === 'text' ? maskPersonalData(message.text.slice(0, 300)) : undefined);
    const pending = before.pending;
    if (pending?.question && !(decision.action === 'answer' && decision.intent && pending.candidates.includes(decision.intent)))
      await log.record({ at, kind: 'clarify_unaccepted', text: pending.question, intents: pending.candidates }, userId);
    const said = decision.action === 'fallback' || decision.action === 'handoff' ? text() : undefined;
    if (said && decision.action === 'fallback' && decision.reason !== 'empty') await log.record({ at, kind: 'fallback', text: said, intents: [] }, userId);
    if (said && decision.action === 'handoff' && decision.reason !== WITH_STAFF)
      await log.record({ at, kind: 'handoff', text: said, intents: before.topic ? [before.topic.intent] : [] }, userId);
    if (decision.feedback?.vote === 'down' && before.topic?.question)
      await log.record({ at, kind: 'feedback_down', text: before.topic.question, intents: [decision.feedback.intent] }, userId);
  }

  /** A 「まちがっている」 tap opens a report for the card; the next message adds what is wrong, masked. */
  private async recordReport(userId: string, message: Incoming, report: NonNullable<Response['decision']['report']>): Promise<void> {
    const reports = this.deps.reports;
    if (!reports) return;
    const at = this.now();
    if (report.step === 'opened') {
      const version = this.deps.knowledgeVersion?.();
      await reports.open(userId, { at, intent: report.intent, facet: report.facet, ...(version !== undefined ? { version } : {}) });
    } else if (message.kind === 'text') await reports.addDetail(userId, maskPersonalData(message.text.slice(0, 500)), at);
  }

  /**
   * Stores the turn's state with the note that its event is applied (one atomic write), or only the note when the
   * state did not change; nothing after an erase.
   */
  private async commit(userId: string, store: Outcome['store'], turn: AppliedTurn | undefined): Promise<void> {
    if (store.erased) return;
    const { state } = store;
    if (state) await this.attempt('conversation state write', () => this.deps.store.set(userId, state, turn), undefined);
    else if (turn) await this.attempt('applied turn write', () => this.deps.store.recordTurn(userId, turn), undefined);
  }

  /**
   * The turn's effects that the answer depends on (an erase, a handoff opened, the quiet while staff have the
   * conversation), and what is left to store once the answer is known: `handle` writes that while the answer is sent.
   * `heard` is the parent's transcript entry, already on its way.
   */
  private async applyTurn(
    userId: string,
    message: Incoming,
    meta: MessageMeta,
    turn: Turn,
    state: ConversationState,
    open: Handoff | undefined,
    heard: Promise<unknown> | undefined,
  ): Promise<Outcome> {
    const { handoff } = this.deps;
    if (!handoff) {
      if (turn.decision.reason !== 'erase') return { response: turn, store: { state: turn.state } };
      await this.eraseAll(userId);
      return { response: turn, store: { erased: true } };
    }

    if (turn.decision.reason === 'erase') {
      // The parent asked for their data to be erased and confirmed it: nothing of this conversation is kept.
      try {
        await this.eraseAll(userId);
      } catch (err) {
        // Redis is away: the erase is tried again until it is done, and the parent is told now and when it is.
        this.deps.logger?.warn({ err: (err as Error).message }, 'erase could not be done yet; queued');
        // Kept on disk before the parent is told.
        await this.promises?.erase(userId, meta.chatId ?? userId);
        return { response: { ...turn, replies: [{ type: 'text', text: this.voice(state).copy.erase.delayed }] }, store: { erased: true } };
      }
      this.deps.logger?.info({ erased: true }, 'conversation data erased at the person’s request');
      return { response: turn, store: { erased: true } };
    }
    // Erasing one's data is answered even while staff have the conversation.
    if (open && turn.decision.reason !== 'erase_confirm') {
      await heard;
      const held: { state?: ConversationState } = {};
      const response = await this.whileHandedOver(userId, message, turn, state, meta, open, held);
      return { response, store: held.state ? { state: held.state } : {} };
    }

    // The parent's entry went out first on the same connection: a handoff's note and the bot's replies follow it.
    const out = await this.afterTurn(userId, turn, state, turn.state, meta);
    return { response: out, store: { state: out.state, transcript: out.replies } };
  }

  /** Handoffs and erases promised while the store was away (see KeptPromises); only with a handoff service. */
  private readonly promises: KeptPromises | undefined;

  /** Runs the queued erases; each done one is told to the parent. Returns how many are left. */
  async flushPendingErases(): Promise<number> {
    return (await this.promises?.flushKind('erase')) ?? 0;
  }

  /** Opens the queued handoffs; what still fails stays queued for the next try. Returns how many are left. */
  async flushPendingHandoffs(): Promise<number> {
    return (await this.promises?.flushKind('handoff')) ?? 0;
  }

  /** Takes over the promises a stopped or dead instance left in the spool; how many. */
  takeOverPromises(): Promise<number> {
    return this.promises?.takeOver() ?? Promise.resolve(0);
  }

  /**
   * At shutdown: one last try for the queued erases and handoffs; what is left stays in the spool for the next
   * instance, or (without one) an error line counts it (without who it was): a promise is never lost silently.
   */
  async close(): Promise<void> {
    await this.promises?.close();
  }

  /** Runs a storage step; when it fails, logs it and carries on with `fallback` — a parent always gets an answer. */
  private async attempt<T>(what: string, step: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await step();
    } catch (err) {
      this.deps.logger?.warn({ err: (err as Error).message, step: what }, 'storage step failed; continuing without it');
      return fallback;
    }
  }

  async unsend(userId: string, messageId: string): Promise<void> {
    await this.deps.handoff?.removeMessage(userId, messageId);
  }

  /** Unfollow: everything about the person goes; while the store is away, as soon as it is back (nobody to tell). */
  async forget(userId: string): Promise<void> {
    try {
      await this.eraseAll(userId);
    } catch (err) {
      if (!this.promises) throw err;
      this.deps.logger?.warn({ err: (err as Error).message }, 'erase could not be done yet; queued');
      await this.promises.erase(userId);
    }
  }

  private async eraseAll(userId: string): Promise<void> {
    await this.deps.store.delete(userId);
    await this.deps.handoff?.erase(userId);
    await this.deps.unanswered?.forget(userId);
    await this.deps.reports?.forget(userId);
  }

  /** How the bot speaks to this parent: their language's sentences and buttons. */
  private voice(state: ConversationState) {
    return this.deps.concierge().voiceFor(state.language);
  }

  /** Opens a handoff when the core decided on one (or on an emergency) and says what happens next. */
  private async afterTurn(userId: string, turn: Turn, before: ConversationState, state: ConversationState, meta: MessageMeta): Promise<Response> {
    const handoff = this.deps.handoff!;
    const { decision } = turn;
    if (decision.action !== 'handoff' && decision.action !== 'emergency') return { ...turn, state };
    const reason: HandoffReason =
      decision.action === 'emergency'
        ? 'emergency'
        : decision.reason === 'judgment'
          ? 'judgment'
          : before.misses >= MISSES_BEFORE_OFFER
            ? 'repeated_misses'
            : 'requested';
    const summary = {
      topics: [...new Set([before.topic?.intent, ...(before.pending?.candidates ?? [])].filter((x): x is string => !!x))],
      ...(describeChildren(state.facts) ? { childAge: describeChildren(state.facts) } : {}),
      ...(state.facts?.area ? { area: state.facts.area } : {}),
      ...(decision.emergencyKind ? { emergencyKind: decision.emergencyKind } : {}),
      ...(state.language ? { language: state.language } : {}),
    };
    const input = { userId, chatId: meta.chatId ?? userId, reason, summary };
    let created = true;
    try {
      ({ created } = await handoff.open(input));
    } catch (err) {
      // Redis is away: the handoff waits (kept on disk first) and is opened as soon as it is back. The parent is told
      // as usual.
      this.deps.logger?.warn({ err: (err as Error).message }, 'handoff could not be stored yet; queued');
      await this.promises?.handoff(input);
    }
    const voice = this.voice(state);
    const say = voice.copy;
    if (decision.action === 'emergency') {
      // The numbers stay first and alone in their card; staff hear of it too.
      return { ...turn, state, replies: [...turn.replies, { type: 'text', text: say.handoff.staffAlsoTold(handoff.hours.isOpen(this.now())) }] };
    }
    const next = created ? handoff.hours.nextStepsText(this.now(), say.officeHours) : say.handoff.alreadyConnected;
    return { ...turn, state, replies: [...turn.replies, { type: 'text', text: `${next}${say.handoff.cancelHint}` }], quickReplies: [voice.cancel] };
  }

  /**
   * While a conversation is handed over. Waiting for staff: the bot keeps answering ordinary questions, and says once
   * per stretch that the messages reach staff (with the next opening time out of hours). Claimed by staff: the bot is
   * quiet, but a message after a while without a staff reply is acknowledged. Emergencies and a cancel always work.
   */
  private async whileHandedOver(
    userId: string,
    message: Incoming,
    turn: Turn,
    state: ConversationState,
    meta: MessageMeta,
    open: Handoff,
    held: { state?: ConversationState },
  ): Promise<Response> {
    const handoff = this.deps.handoff!;
    const now = this.now();
    const { status } = open;
    const voice = this.voice(state);
    const say = voice.copy;
    const silent: Response = { decision: { action: 'handoff', reason: WITH_STAFF }, replies: [], quickReplies: [], state };
    if (turn.decision.action === 'emergency') {
      const out = await this.afterTurn(userId, turn, state, turn.state, meta);
      await handoff.recordBot(userId, out.replies);
      return out;
    }
    const tapped = message.kind === 'postback' ? decodePostback(message.data)?.a : undefined;
    const cancel = tapped === 'cancel' || (message.kind === 'text' && CANCEL.test(message.text.normalize('NFKC').trim()) && message.text.trim().length <= 30);
    if (cancel && status === 'waiting' && (await handoff.cancel(userId))) {
      const bye: Response = {
        decision: { action: 'smalltalk', reason: 'handoff_cancelled' },
        replies: [{ type: 'text', text: say.handoff.closed.cancelled }],
        quickReplies: voice.menu(),
        state: { ...state, misses: 0 },
      };
      held.state = bye.state;
      await handoff.recordBot(userId, bye.replies);
      return bye;
    }
    if (tapped === 'handoff') {
      const text = status === 'active' ? say.handoff.activeNow : say.handoff.alreadyConnected;
      const replies = [{ type: 'text' as const, text }];
      await handoff.recordBot(userId, replies);
      return { ...silent, replies };
    }
    const acked = state.heldAckAt !== undefined && state.heldAckAt >= open.openedAt && now - state.heldAckAt < ACK_STRETCH_MS;
    if (status === 'waiting') {
      const ordinary = turn.decision.action === 'answer' || turn.decision.action === 'smalltalk' || turn.decision.action === 'clarify';
      const ack = acked
        ? []
        : [{ type: 'text' as const, text: say.handoff.continuing(handoff.hours.isOpen(now) ? undefined : handoff.hours.nextStepsText(now, say.officeHours)) }];
      // Until someone has claimed it, ordinary questions are answered as usual: nobody waits in silence.
      const replies = ordinary ? [...turn.replies, ...ack] : ack;
      const next = { ...(ordinary ? turn.state : state), ...(ack.length ? { heldAckAt: now } : {}) };
      if (!replies.length) return silent;
      held.state = next;
      await handoff.recordBot(userId, replies);
      return { decision: ordinary ? turn.decision : silent.decision, replies, quickReplies: ordinary ? turn.quickReplies : [voice.cancel], state: next };
    }
    // Claimed: quiet, unless staff have not written for a while (and we have not said so lately). The transcript is
    // read only when neither the claim nor our last word is recent.
    if (now - Math.max(state.heldAckAt ?? 0, open.claimedAt ?? open.openedAt) < STAFF_QUIET_MS) return silent;
    const lastStaff = await this.attempt('transcript read', async () => (await handoff.lastStaffReplyAt(userId)) ?? open.claimedAt ?? open.openedAt, now);
    const quietSince = Math.max(lastStaff, state.heldAckAt ?? 0);
    if (now - quietSince < STAFF_QUIET_MS) return silent;
    const replies = [{ type: 'text' as const, text: say.handoff.staffChecking }];
    const next = { ...state, heldAckAt: now };
    held.state = next;
    await handoff.recordBot(userId, replies);
    return { ...silent, replies, state: next };
  }
}
