import { Router, type Request, type Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { toSpreadsheetCell } from '../../core/knowledge/spreadsheet/csv.js';
import type { Core } from '../../core/build-core.js';
import { figuresFor, fiscalYearOf, monthsBetween } from '../../app/insights/figures.js';
import { groupUnansweredInSlices, type UnansweredLog } from '../../app/insights/unanswered.js';
import { monthOf, type UsageStats } from '../../app/insights/usage-stats.js';
import { SMALLTALK_IDS } from '../../core/knowledge/schema.js';
import type { Logger } from '../../app/log.js';
import { decideOne, exampleRefusal, type ExampleCheck } from '../../app/publishing/add-example.js';
import { signedIn } from './auth.js';
import { UNANSWERED_SHOWN, exampleConfirmPage, figuresPage, unansweredPage } from './views/insights.js';
import type { Notice } from './views/layout.js';

export interface InsightsRoutesDeps {
  stats: UsageStats;
  unanswered: UnansweredLog;
  core: () => Core;
  logger: Logger;
  /**
   * Adds a question as an example phrase of an intent: first checked and previewed, then published through the
   * knowledge pipeline on the version that was checked. Absent when the knowledge editor is not available.
   */
  examples?: {
    check(intent: string, text: string): Promise<ExampleCheck>;
    add(intent: string, text: string, staff: { id: string; name: string }, base: number): Promise<{ ok: boolean; message: string }>;
  };
  now?: () => number;
}

const NOTICES: Record<string, Notice> = {
  added: { kind: 'ok', text: '例文に追加して公開しました。' },
};

/** What parents asked that the bot could not answer, and the monthly figures for the yearly review. */
export function insightsRoutes(deps: InsightsRoutesDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const title = (id: string) => deps.core().kb.entries.get(id)?.title ?? id;
  const pageStaff = (res: Response) => ({ name: signedIn(res).account.name, csrfToken: signedIn(res).session.csrfToken });
  const services = () =>
    [...deps.core().kb.entries.values()].filter((e) => !(SMALLTALK_IDS as readonly string[]).includes(e.id)).map((e) => [e.id, e.title] as [string, string]);

  async function showUnanswered(req: Request, res: Response, notice?: Notice, status = 200) {
    const days = Math.min(365, Math.max(1, Number(req.query.days) || 30));
    const since = now() - days * 86_400_000;
    const items = (await deps.unanswered.list(5000)).filter((i) => i.at >= since);
    // In slices: a long log must not hold up the webhooks this process also serves.
    const core = deps.core();
    const grouped = await groupUnansweredInSlices(items, (t) => core.analyzer.analyze(t).terms);
    // A question already taught as an example has been dealt with: it leaves the list.
    const taught = new Set([...core.kb.intents.values()].flatMap((i) => i.examples.map((e) => e.normalize('NFKC'))));
    const groups = grouped.filter((g) => !taught.has(g.text.normalize('NFKC')));
    // Calls for help, requests for a person and small talk are never offered as examples (checked on what is shown).
    const refusals = new Map<string, string>();
    for (const g of groups.slice(0, UNANSWERED_SHOWN)) {
      const why = exampleRefusal(await decideOne(core.concierge, g.text));
      if (why) refusals.set(g.text, why);
    }
    const view = {
      groups,
      days,
      intentTitle: title,
      intents: services(),
      canAddExample: !!deps.examples,
      refusals,
      csrfToken: signedIn(res).session.csrfToken,
    };
    res
      .status(status)
      .type('html')
      .send(unansweredPage(view, pageStaff(res), notice ?? NOTICES[String(req.query.m ?? '')]).value);
  }

  router.get('/insights/unanswered', (req, res) => showUnanswered(req, res));

  // Choosing a service only checks and previews; publishing is a second, deliberate step on the same page.
  router.post('/insights/unanswered/example', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const intent = typeof body.intent === 'string' ? body.intent : '';
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    if (!deps.examples || !deps.core().kb.entries.has(intent) || (SMALLTALK_IDS as readonly string[]).includes(intent) || !text || text.length > 300)
      return showUnanswered(req, res, { kind: 'error', text: '追加できませんでした。追加先と質問を確かめてください。' }, 400);
    const { account } = signedIn(res);
    if (body.action === 'publish') {
      const base = Number(body.base);
      if (!Number.isSafeInteger(base) || base < 1) return showUnanswered(req, res, { kind: 'error', text: '確認してから公開してください。' }, 400);
      const result = await deps.examples.add(intent, text, { id: account.username, name: account.name }, base);
      deps.logger.info({ console: 'add_example', by: account.username, intent, ok: result.ok }, 'console action');
      if (result.ok) return res.redirect(303, '/console/insights/unanswered?m=added');
      return showConfirm(res, intent, text, { kind: 'error', text: `公開できませんでした: ${result.message}` }, 422);
    }
    return showConfirm(res, intent, text);
  });

  async function showConfirm(res: Response, intent: string, text: string, notice?: Notice, status = 200) {
    const check = await deps.examples!.check(intent, text);
    res
      .status(status)
      .type('html')
      .send(exampleConfirmPage({ text, intent, intentTitle: title, check, csrfToken: signedIn(res).session.csrfToken }, pageStaff(res), notice).value);
  }

  const fiscal = (req: Request) => {
    const fy = Number(req.query.fy);
    const current = fiscalYearOf(monthOf(now()));
    const start = Number.isInteger(fy) && fy > 2000 && fy < 2100 ? fy : Number(current.from.slice(0, 4));
    return fiscalYearOf(`${start}-04`);
  };

  router.get('/insights/figures', async (req, res) => {
    const fy = fiscal(req);
    const start = Number(fy.from.slice(0, 4));
    // Months still ahead in the current year show as zero; the chart stays a whole year wide.
    const months = await figuresFor(deps.stats, monthsBetween(fy.from, fy.to));
    const current = Number(fiscalYearOf(monthOf(now())).from.slice(0, 4));
    res
      .type('html')
      .send(
        figuresPage(
          { months, label: fy.label, prev: String(start - 1), ...(start < current ? { next: String(start + 1) } : {}), intentTitle: title },
          pageStaff(res),
        ).value,
      );
  });

  router.get('/insights/figures.csv', async (req, res) => {
    const fy = fiscal(req);
    const months = await figuresFor(deps.stats, monthsBetween(fy.from, fy.to));
    const rows: (string | number)[][] = [
      [
        '月',
        'サービス',
        '質問数',
        '回答数',
        '回答率(%)',
        '候補提示率(%)',
        '答えられず率(%)',
        '引き継ぎ率(%)',
        '引き継ぎ件数',
        '引き継ぎ中に担当者へ届いたメッセージ数',
        '対応開始までの平均(分)',
        '役に立った',
        '役に立たなかった',
      ],
    ];
    for (const m of months) {
      rows.push([
        m.month,
        '（全体）',
        m.questions,
        m.answers,
        m.answerRate,
        m.clarifyRate,
        m.fallbackRate,
        m.handoffRate,
        m.handoff,
        m.toStaff,
        m.claimMinutesAvg ?? '',
        m.feedbackUp,
        m.feedbackDown,
      ]);
      for (const [id, s] of Object.entries(m.services).sort((a, b) => b[1].answers - a[1].answers))
        rows.push([m.month, title(id), '', s.answers, '', '', '', '', '', '', '', s.up, s.down]);
    }
    // UTF-8 with a byte-order mark, so Excel opens the Japanese correctly.
    res
      .type('text/csv; charset=utf-8')
      .attachment(`kosodate-figures-${fy.label}.csv`)
      .send(`\uFEFF${stringify(rows.map((r) => r.map((c) => (typeof c === 'string' ? toSpreadsheetCell(c) : c))))}`);
  });

  return router;
}
