import { Router } from 'express';
import type { WrongReportStore } from '../../app/insights/wrong-reports.js';
import type { Logger } from '../../app/log.js';
import type { Core } from '../../core/build-core.js';
import { signedIn } from './auth.js';
import { pageStaff } from './kb-route-kit.js';
import type { Notice } from './views/layout.js';
import { wrongReportsPage } from './views/kb-wrong-reports.js';

export interface ReportRoutesDeps {
  reports: WrongReportStore;
  core: () => Core;
  liveVersion?: () => number | undefined;
  logger: Logger;
  now?: () => number;
}

const NOTICES: Record<string, Notice> = {
  handled: { kind: 'ok', text: '対応済みにしました。' },
  gone: { kind: 'warn', text: 'この報告は、すでに対応済みか、保存期間を過ぎて消えています。' },
};

const REPORT_ID = /^[0-9a-f]{20}$/;

/** The open 「この情報はまちがっている」 reports, and closing one when it is handled. */
export function reportRoutes(deps: ReportRoutesDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;

  router.get('/kb/reports', async (req, res) => {
    const kb = deps.core().kb;
    const m = typeof req.query.m === 'string' ? NOTICES[req.query.m] : undefined;
    res.type('html').send(
      wrongReportsPage({
        reports: await deps.reports.listOpen(),
        titles: (intent) => kb.entries.get(intent)?.title,
        liveVersion: deps.liveVersion?.(),
        staff: pageStaff(res),
        csrfToken: signedIn(res).session.csrfToken,
        ...(m ? { notice: m } : {}),
      }).value,
    );
  });

  router.post('/kb/reports/:id/handled', async (req, res) => {
    const id = String(req.params.id);
    const staff = signedIn(res).account.username;
    const closed = REPORT_ID.test(id) && (await deps.reports.handle(id, staff, now()));
    if (closed) deps.logger.info({ console: 'report-handled', staff }, 'console action');
    res.redirect(303, `/console/kb/reports?m=${closed ? 'handled' : 'gone'}`);
  });

  return router;
}
