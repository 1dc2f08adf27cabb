import { Router, type Request, type Response } from 'express';
import type { Logger } from '../../app/log.js';
import type { AccountStore } from './accounts.js';
import { signedIn } from './auth.js';
import { unknownPlaceholders } from './template-fill.js';
import { MAX_TEMPLATES, TemplateInput, type TemplateStore } from './templates.js';
import type { Notice } from './views/layout.js';
import { templatesPage } from './views/templates.js';

export interface TemplatesRoutesDeps {
  templates: TemplateStore;
  accounts: AccountStore;
  logger: Logger;
  now?: () => number;
}

const NOTICES: Record<string, Notice> = {
  added: { kind: 'ok', text: '定型文を追加しました。' },
  saved: { kind: 'ok', text: '定型文を保存しました。' },
  removed: { kind: 'ok', text: '定型文を削除しました。' },
  gone: { kind: 'warn', text: 'その定型文は、ほかの担当者が削除しました。' },
};

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const field = (req: Request, name: string): string => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

/** The shared canned replies: list, add, change, remove (/console/templates). */
export function templatesRoutes(deps: TemplatesRoutesDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const pageStaff = (res: Response) => ({ name: signedIn(res).account.name, csrfToken: signedIn(res).session.csrfToken });
  // Who changed which template, for the office's records; never what it says.
  const audit = (res: Response, action: string, id: string) =>
    deps.logger.info({ console: action, templateId: id, staff: signedIn(res).account.username }, 'console action');

  async function show(res: Response, opts: { status?: number; notice?: Notice; draft?: { id: string; title: string; text: string } } = {}) {
    const names = new Map((await deps.accounts.list()).map((a) => [a.username, a.name]));
    const view = {
      templates: await deps.templates.list(),
      staffName: (u: string) => names.get(u) ?? u,
      csrfToken: signedIn(res).session.csrfToken,
      ...(opts.draft ? { draft: opts.draft } : {}),
    };
    res
      .status(opts.status ?? 200)
      .type('html')
      .send(templatesPage(view, pageStaff(res), opts.notice).value);
  }

  /** The checked input, or the page again with the problem and what was written. */
  async function input(req: Request, res: Response, id: string): Promise<TemplateInput | undefined> {
    const parsed = TemplateInput.safeParse({ title: field(req, 'title'), text: field(req, 'text') });
    const draft = { id, title: field(req, 'title'), text: field(req, 'text') };
    const problem = parsed.success ? unknownPlaceholders(parsed.data.text).map((n) => `{${n}} は使えない差し込みです。`)[0] : parsed.error.issues[0]?.message;
    if (parsed.success && !problem) return parsed.data;
    await show(res, { status: 400, notice: { kind: 'error', text: problem ?? '入力を確かめてください。' }, draft });
    return undefined;
  }

  router.get('/templates', async (req, res) => {
    await show(res, { ...(typeof req.query.m === 'string' && NOTICES[req.query.m] ? { notice: NOTICES[req.query.m] } : {}) });
  });

  router.post('/templates', async (req, res) => {
    const data = await input(req, res, 'new');
    if (!data) return;
    const t = await deps.templates.create(data, signedIn(res).account.username, now());
    if (!t)
      return show(res, {
        status: 409,
        notice: { kind: 'error', text: `定型文は${MAX_TEMPLATES}件までです。使わないものを削除してから追加してください。` },
        draft: { id: 'new', ...data },
      });
    audit(res, 'template-add', t.id);
    res.redirect(303, '/console/templates?m=added');
  });

  router.post('/templates/:id', async (req, res, next) => {
    const id = String(req.params.id);
    if (!ID.test(id)) return next();
    const data = await input(req, res, id);
    if (!data) return;
    if (!(await deps.templates.update(id, data, signedIn(res).account.username, now()))) return res.redirect(303, '/console/templates?m=gone');
    audit(res, 'template-edit', id);
    res.redirect(303, '/console/templates?m=saved');
  });

  router.post('/templates/:id/delete', async (req, res, next) => {
    const id = String(req.params.id);
    if (!ID.test(id)) return next();
    if (await deps.templates.remove(id)) audit(res, 'template-remove', id);
    res.redirect(303, '/console/templates?m=removed');
  });

  return router;
}
