import { Router, type Request, type Response } from 'express';
import type { Core } from '../../core/build-core.js';
import { UntranslatedError, type HandoffService, type StaffRef } from '../../app/handoff/service.js';
import { FACETS, Facet } from '../../core/knowledge/schema.js';
import type { Logger } from '../../app/log.js';
import { UndeliveredError } from '../line/parent-channel.js';
import type { AccountStore } from './accounts.js';
import { signedIn } from './auth.js';
import type { SeenStore } from './seen.js';
import { fillTemplate } from './template-fill.js';
import type { TemplateStore } from './templates.js';
import { fromHtmx, sendPage, sendWholePage } from './htmx.js';
import { conversationMain, conversationPage, conversationParts, type AnswerOption, type ConversationView } from './views/conversation.js';
import { messagePage, type Notice } from './views/layout.js';
import { queueMain, queuePage, queueParts, type QueueView } from './views/queue.js';

export interface HandoffRoutesDeps {
  handoff: HandoffService;
  accounts: AccountStore;
  /** When each staff member last had each conversation open (the queue's unread marks). */
  seen: SeenStore;
  templates: TemplateStore;
  /** The live core: entry titles for the summary and the answers staff can send. */
  core: () => Core;
  logger: Logger;
  now?: () => number;
}

/** Template ids of the core's ready sentences in the parent's language (never a stored template's uuid). */
const PHRASE_PREFIX = 'phrase:';

/** Outcomes shown after a redirect (?m=code): fixed texts, so nothing a request carries is ever shown back. */
const NOTICES: Record<string, Notice> = {
  claimed: { kind: 'ok', text: '対応を始めました。保護者には、担当者がお返事することをLINEで伝えました。' },
  'claimed-undelivered': {
    kind: 'warn',
    text: '対応を始めましたが、そのお知らせがLINEで保護者に届きませんでした。返信を送って、届くかどうか確かめてください。',
  },
  taken: { kind: 'warn', text: 'この相談は、すでに他の担当者が対応を始めています。' },
  'not-open': { kind: 'warn', text: 'この相談はすでに終了しています。' },
  sent: { kind: 'ok', text: '保護者に送信しました。' },
  'answer-sent': { kind: 'ok', text: '回答カードを保護者に送信しました。' },
  noted: { kind: 'ok', text: '内部メモを残しました。' },
  closed: { kind: 'ok', text: '対応を終了しました。保護者には自動応答に戻ったことをLINEで伝えました。' },
  'closed-undelivered': { kind: 'warn', text: '対応を終了しましたが、そのお知らせがLINEで保護者に届きませんでした。' },
};

const UNTRANSLATED: Notice = {
  kind: 'error',
  text: '機械翻訳ができなかったため、返信は送っていません（下に残しています）。少しおいてもう一度送るか、「翻訳せずにそのまま送る」にチェックして送るか、回答カード・文例を使ってください。',
};
const UNDELIVERED: Notice = {
  kind: 'error',
  text: 'LINEへの送信に失敗しました。保護者には届いていません。入力した内容は下に残っています。しばらく待ってから、もう一度送信してください。',
};

// Handoff ids are UUIDs (HandoffService.open); anything else is not looked up.
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REPLY_MAX = 5000; // LINE's limit for one text message
const NOTE_MAX = 2000;

const field = (req: Request, name: string): string => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};
/** Line endings from a form are CRLF; LINE and the transcript want LF. */
const text = (req: Request, name: string): string => field(req, name).replace(/\r\n?/g, '\n').trim();

export function handoffRoutes(deps: HandoffRoutesDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;

  const me = (res: Response): StaffRef => {
    const { account } = signedIn(res);
    return { id: account.username, name: account.name };
  };
  const pageStaff = (res: Response) => ({ name: signedIn(res).account.name, csrfToken: signedIn(res).session.csrfToken });

  async function staffNames() {
    const names = new Map((await deps.accounts.list()).map((a) => [a.username, a.name]));
    return (username: string | undefined) => (username ? (names.get(username) ?? username) : '—');
  }
  const topicTitle = (id: string) => deps.core().kb.entries.get(id)?.title ?? id;
  const answers = (): AnswerOption[] =>
    [...deps.core().kb.entries.values()]
      .filter((e) => e.topic !== 'smalltalk')
      .map((e) => ({ id: e.id, title: e.title, facets: FACETS.filter((f) => e.facets[f]) }))
      .sort((a, b) => a.title.localeCompare(b.title, 'ja'));

  /** The core's ready sentences (copy `staffPhrases`) in a parent's language, as templates (ids `phrase:<key>`). */
  const staffPhrases = (code: string) => {
    const voice = deps.core().concierge.voiceFor(code);
    const name = deps.core().kb.languages.get(code)?.meta.nameJa ?? code;
    const ja = deps.core().concierge.voiceFor(undefined).copy.staffPhrases;
    return (Object.keys(voice.copy.staffPhrases) as (keyof typeof ja)[]).map((k) => ({
      id: `${PHRASE_PREFIX}${k}`,
      title: `文例（${name}）: ${ja[k]}`.slice(0, 60),
      text: voice.copy.staffPhrases[k],
    }));
  };
  const notice = (req: Request) => (typeof req.query.m === 'string' ? NOTICES[req.query.m] : undefined);
  /** After an action: without the script, a redirect to the page with the outcome; with htmx, that page at once. */
  const back = (req: Request, res: Response, id: string, code: string) =>
    fromHtmx(req) ? showConversation(req, res, id, { notice: NOTICES[code] }) : res.redirect(303, `/console/handoffs/${id}?m=${code}`);
  const toQueue = (req: Request, res: Response, code: string) =>
    fromHtmx(req) ? showQueue(req, res, NOTICES[code]) : res.redirect(303, `/console/?m=${code}`);
  // Who did what to which conversation, for the office's own records; never what was written.
  const audit = (res: Response, handoffId: string, action: string) =>
    deps.logger.info({ console: action, handoffId, staff: signedIn(res).account.username }, 'console action');
  const notFound = (req: Request, res: Response) =>
    sendWholePage(
      req,
      res,
      404,
      messagePage(
        '相談が見つかりません',
        'この相談は見つかりませんでした。保存期間を過ぎて削除された可能性があります。',
        { href: '/console/', label: '受付一覧へ戻る' },
        pageStaff(res),
      ),
    );

  /** `notice: 'keep'`: a live update's parts leave the outcome shown by the last action where it is. */
  async function showConversation(
    req: Request,
    res: Response,
    id: string,
    opts: { status?: number; notice?: Notice | 'keep'; draft?: ConversationView['draft'] } = {},
  ) {
    const found = await deps.handoff.transcript(id);
    if (!found) return notFound(req, res);
    // Seen up to the newest entry shown (not "now"): a message arriving during this render stays unread.
    await deps.seen.mark(signedIn(res).account.username, id, found.entries.at(-1)?.at ?? found.handoff.openedAt);
    const at = now();
    const fill = { hours: deps.handoff.hours, now: at, staffName: signedIn(res).account.name };
    const templates = (await deps.templates.list()).map((t) => ({ id: t.id, title: t.title, text: fillTemplate(t.text, fill) }));
    const code = found.handoff.summary.language;
    const language = code ? deps.core().kb.languages.get(code) : undefined;
    // For a parent who reads another language: ready sentences in it, beside the office's own templates.
    const phrases = language ? staffPhrases(code!) : [];
    const translated = language ? await deps.handoff.translatedForStaff(found.handoff, found.entries) : undefined;
    const view: ConversationView = {
      ...found,
      ...(language
        ? {
            language: {
              name: language.meta.nameJa,
              translates: deps.handoff.translates(found.handoff),
              ...(translated ? { translations: translated.texts, translationFailed: translated.failed } : {}),
            },
          }
        : {}),
      staffName: await staffNames(),
      topicTitle,
      answers: answers(),
      templates: [...phrases, ...templates],
      now: at,
      csrfToken: signedIn(res).session.csrfToken,
      ...(opts.draft ? { draft: opts.draft } : {}),
    };
    const shown = opts.notice === 'keep' ? undefined : opts.notice;
    sendPage(req, res, `/console/handoffs/${id}`, opts.status ?? 200, {
      whole: () => conversationPage(view, pageStaff(res), shown),
      main: () => conversationMain(view, pageStaff(res), shown),
      parts: () => conversationParts(view, opts.notice),
    });
  }

  /** The id from the path when it can be a handoff id; otherwise the 404 page has been sent. */
  const handoffId = (req: Request, res: Response): string | undefined => {
    const id = String(req.params.id);
    if (ID.test(id)) return id;
    notFound(req, res);
    return undefined;
  };

  async function showQueue(req: Request, res: Response, shown: Notice | 'keep' | undefined) {
    const [open, closed] = await Promise.all([deps.handoff.listOpen(), deps.handoff.listClosed(20)]);
    const [lasts, seen] = await Promise.all([
      Promise.all(open.map((h) => deps.handoff.lastFromParent(h))),
      deps.seen.lastSeen(
        signedIn(res).account.username,
        open.map((h) => h.id),
      ),
    ]);
    const lastMessages = new Map<string, { text: string; at: number }>();
    const unread = new Set<string>();
    open.forEach((h, i) => {
      const last = lasts[i];
      if (!last) return;
      lastMessages.set(h.id, { text: last.text, at: last.at });
      if (last.at > (seen.get(h.id) ?? 0)) unread.add(h.id);
    });
    const languageName = (code: string) => deps.core().kb.languages.get(code)?.meta.nameJa ?? code;
    const view: QueueView = {
      open,
      closed,
      staffName: await staffNames(),
      topicTitle,
      now: now(),
      csrfToken: signedIn(res).session.csrfToken,
      lastMessages,
      unread,
      languageName,
    };
    const notice = shown === 'keep' ? undefined : shown;
    sendPage(req, res, '/console/', 200, {
      whole: () => queuePage(view, pageStaff(res), notice),
      main: () => queueMain(view, pageStaff(res), notice),
      parts: () => queueParts(view, shown),
    });
  }

  // With htmx, a live update: the parts only, the outcome of the last action left where it is.
  router.get('/', (req, res) => showQueue(req, res, fromHtmx(req) ? 'keep' : notice(req)));

  router.get('/handoffs/:id', async (req, res) => {
    const id = handoffId(req, res);
    if (id) await showConversation(req, res, id, fromHtmx(req) ? { notice: 'keep' } : { ...(notice(req) ? { notice: notice(req) } : {}) });
  });

  router.post('/handoffs/:id/claim', async (req, res) => {
    const id = handoffId(req, res);
    if (!id) return;
    try {
      if (await deps.handoff.claim(id, me(res))) {
        audit(res, id, 'claim');
        return back(req, res, id, 'claimed');
      }
    } catch (err) {
      // The claim is stored before the parent is told; only the notice went missing.
      if (err instanceof UndeliveredError) {
        audit(res, id, 'claim');
        return back(req, res, id, 'claimed-undelivered');
      }
      throw err;
    }
    const current = await deps.handoff.get(id);
    if (!current) return notFound(req, res);
    await back(req, res, id, current.status === 'active' ? 'taken' : 'not-open');
  });

  router.post('/handoffs/:id/reply', async (req, res) => {
    const id = handoffId(req, res);
    if (!id) return;
    const reply = text(req, 'text');
    if (!reply || reply.length > REPLY_MAX)
      return showConversation(req, res, id, {
        status: 400,
        notice: { kind: 'error', text: `返信は1〜${REPLY_MAX}文字で入力してください。` },
        draft: { reply },
      });
    try {
      if (await deps.handoff.reply(id, me(res), reply, { asIs: field(req, 'asIs') === 'on' })) {
        audit(res, id, 'reply');
        return back(req, res, id, 'sent');
      }
    } catch (err) {
      if (err instanceof UndeliveredError) return showConversation(req, res, id, { status: 502, notice: UNDELIVERED, draft: { reply } });
      if (err instanceof UntranslatedError) return showConversation(req, res, id, { status: 502, notice: UNTRANSLATED, draft: { reply } });
      throw err;
    }
    await showConversation(req, res, id, {
      status: 409,
      notice: { kind: 'error', text: 'この相談は対応中ではないため、送信できませんでした。' },
      draft: { reply },
    });
  });

  router.post('/handoffs/:id/answer', async (req, res) => {
    const id = handoffId(req, res);
    if (!id) return;
    const intent = field(req, 'intent');
    const facet = Facet.safeParse(field(req, 'facet'));
    const option = answers().find((a) => a.id === intent);
    const draft = { intent, facet: field(req, 'facet') };
    if (!option || !facet.success || !option.facets.includes(facet.data))
      return showConversation(req, res, id, {
        status: 400,
        notice: {
          kind: 'error',
          text: option && facet.success ? 'その項目には、選んだ内容の回答がありません。別の内容を選んでください。' : '送る項目と内容を選んでください。',
        },
        draft,
      });
    try {
      if (await deps.handoff.sendAnswer(id, me(res), option.id, facet.data)) {
        audit(res, id, 'answer');
        return back(req, res, id, 'answer-sent');
      }
    } catch (err) {
      if (err instanceof UndeliveredError) return showConversation(req, res, id, { status: 502, notice: UNDELIVERED, draft });
      throw err;
    }
    await showConversation(req, res, id, { status: 409, notice: { kind: 'error', text: 'この相談は対応中ではないため、送信できませんでした。' }, draft });
  });

  // Without the script: the conversation again with the chosen canned reply, filled in, in the reply box (not sent).
  router.post('/handoffs/:id/template', async (req, res) => {
    const id = handoffId(req, res);
    if (!id) return;
    const chosen = field(req, 'template');
    if (chosen.startsWith(PHRASE_PREFIX)) {
      const h = await deps.handoff.get(id);
      const phrase = h?.summary.language ? staffPhrases(h.summary.language).find((p) => p.id === chosen) : undefined;
      if (phrase) return showConversation(req, res, id, { draft: { reply: phrase.text } });
    }
    const t = chosen.startsWith(PHRASE_PREFIX) ? undefined : await deps.templates.get(chosen);
    if (!t)
      return showConversation(req, res, id, {
        status: 400,
        notice: { kind: 'error', text: 'その定型文は見つかりませんでした。ほかの担当者が削除した可能性があります。' },
      });
    await showConversation(req, res, id, {
      draft: { reply: fillTemplate(t.text, { hours: deps.handoff.hours, now: now(), staffName: signedIn(res).account.name }) },
    });
  });

  router.post('/handoffs/:id/note', async (req, res) => {
    const id = handoffId(req, res);
    if (!id) return;
    const note = text(req, 'text');
    if (!note || note.length > NOTE_MAX)
      return showConversation(req, res, id, {
        status: 400,
        notice: { kind: 'error', text: `内部メモは1〜${NOTE_MAX}文字で入力してください。` },
        draft: { note },
      });
    if (await deps.handoff.note(id, me(res), note)) {
      audit(res, id, 'note');
      return back(req, res, id, 'noted');
    }
    notFound(req, res);
  });

  router.post('/handoffs/:id/close', async (req, res) => {
    const id = handoffId(req, res);
    if (!id) return;
    try {
      if (await deps.handoff.close(id, me(res))) {
        audit(res, id, 'close');
        return toQueue(req, res, 'closed');
      }
    } catch (err) {
      if (err instanceof UndeliveredError) {
        audit(res, id, 'close');
        return toQueue(req, res, 'closed-undelivered');
      }
      throw err;
    }
    if (!(await deps.handoff.get(id))) return notFound(req, res);
    await back(req, res, id, 'not-open');
  });

  return router;
}
