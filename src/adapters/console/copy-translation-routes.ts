import { Router, type Response } from 'express';
import type { KnowledgeService } from '../../app/publishing/service.js';
import { signedIn } from './auth.js';
import { applyCopyDraft, copyDraftFromForm, copyDraftOf, COPY_SET, EMERGENCY_SET } from './copy-translation.js';
import type { FormError } from './kb-form.js';
import { currentVersionOf, formField, pageStaff, type ParsedVersions, publishFromForm, publishNote, sendNotFound, versionParser } from './kb-route-kit.js';
import { translatable, withoutFallbackNote } from './translation-kit.js';
import { inStaffWords } from './views/kb-report.js';
import { copyFormPage, copyListPage, type CopyFormView } from './views/kb-copy.js';
import type { Notice } from './views/layout.js';

export interface CopyTranslationRoutesDeps {
  /** Stored versions parsed once for all the knowledge-base pages (one per console). */
  parsed?: ParsedVersions;
  knowledge: Pick<KnowledgeService, 'publisher' | 'store'>;
}

const NOTICES: Record<string, Notice> = {
  unchanged: { kind: 'warn', text: '公開中の訳と同じだったため、新しい版は作りませんでした。' },
};

/**
 * The fixed sentences of each language (greetings, buttons, handoff messages) and its emergency cards, edited beside
 * the Japanese, checked (same numbers and {placeholders}, button lengths, やさしい日本語's rules) and published like
 * every other edit.
 */
export function copyTranslationRoutes(deps: CopyTranslationRoutesDeps): Router {
  const router = Router();
  const { publisher, store } = deps.knowledge;
  const kbOf = deps.parsed ?? versionParser();
  const me = (res: Response) => signedIn(res).account.username;
  for (const set of [COPY_SET, EMERGENCY_SET]) {
    const notFound = (res: Response) =>
      sendNotFound(res, '訳が見つかりません', 'この言語は知識ベースにありません。', { href: `/console/kb/${set.path}`, label: `${set.name}の訳へ戻る` });

    router.get(`/kb/${set.path}`, async (_req, res) => {
      const v = await currentVersionOf(store);
      const kb = kbOf(v);
      if (!kb) throw new Error(`knowledge-base version ${v.n} does not load`);
      const rows = set.groups(kb).flatMap((g) => g.rows);
      const languages = [...kb.languages.values()].filter((p) => translatable(kb, p.meta.code)).sort((x, y) => x.meta.order - y.meta.order);
      res.type('html').send(
        copyListPage({
          rows: languages.map((p) => {
            const draft = copyDraftOf(v.files[set.file(p.meta.code)]);
            return {
              name: p.meta.nameJa,
              href: `/console/kb/${set.path}/${p.meta.code}`,
              translated: rows.filter((r) => draft[r.key]).length,
              total: rows.length,
              stale: p.stale.filter((s) => s.file === set.file(p.meta.code)).length,
            };
          }),
          set,
          staff: pageStaff(res),
        }).value,
      );
    });

    async function show(res: Response, code: string, base: number, extra: Partial<CopyFormView> = {}, status = 200) {
      const version = await store.get(base);
      const kb = version && kbOf(version);
      if (!version || !kb || !translatable(kb, code)) return notFound(res);
      const pack = kb.languages.get(code)!;
      const view: CopyFormView = {
        code,
        language: pack.meta.nameJa,
        base,
        set,
        groups: set.groups(kb),
        draft: copyDraftOf(version.files[set.file(code)]),
        stale: new Map(pack.stale.filter((s) => s.file === set.file(code)).map((s) => [s.field, inStaffWords(withoutFallbackNote(s.message))])),
        staff: pageStaff(res),
        csrfToken: signedIn(res).session.csrfToken,
        ...extra,
      };
      res.status(status).type('html').send(copyFormPage(view).value);
    }

    router.get(`/kb/${set.path}/:code`, async (req, res) => {
      const n = typeof req.query.m === 'string' ? NOTICES[req.query.m] : undefined;
      await show(res, String(req.params.code), (await currentVersionOf(store)).n, n ? { notice: n } : {});
    });

    router.post(`/kb/${set.path}/:code`, async (req, res) => {
      const code = String(req.params.code);
      const base = Number(formField(req, 'base'));
      const baseVersion = Number.isSafeInteger(base) && base > 0 ? await store.get(base) : undefined;
      const baseKb = baseVersion && kbOf(baseVersion);
      if (!baseVersion || !baseKb || !translatable(baseKb, code)) return notFound(res);
      const rows = set.groups(baseKb).flatMap((g) => g.rows);
      const draft = copyDraftFromForm(req.body, rows);
      const message = publishNote(req);
      if (!draft)
        return show(res, code, base, { formErrors: [{ field: 'message', message: '送信された内容が大きすぎるか、正しくありません。' }], message }, 400);

      // Edits apply to the newest version, unless this language's sentences changed meanwhile (only the changed ones are
      // written, so another person's edit of other sentences is kept).
      const latest = await currentVersionOf(store);
      const file = set.file(code);
      const before = copyDraftOf(baseVersion.files[file]);
      const now = copyDraftOf(latest.files[file]);
      const clash = Object.keys(draft).filter((k) => (before[k] ?? '') !== (draft[k] ?? '') && (before[k] ?? '') !== (now[k] ?? ''));
      if (clash.length) {
        const formErrors: FormError[] = [
          {
            field: 'message',
            message: `直した文のうち${clash.length}件は、編集している間に別の人が変更して公開しました（版${latest.n}）。下の欄はあなたが書いたままです。見比べてから、もう一度確認してください。`,
          },
        ];
        return show(res, code, latest.n, { draft: { ...now, ...draft }, formErrors, message }, 409);
      }
      const files = applyCopyDraft(latest.files, code, before, draft, file);
      const held = set.held(file, before, draft);
      const again = { draft, message };

      if (formField(req, 'action') === 'publish') {
        const retry = await publishFromForm(res, publisher, {
          files,
          author: me(res),
          message,
          base: latest.n,
          held,
          unchangedHref: `/console/kb/${set.path}/${code}`,
        });
        if (retry) return show(res, code, latest.n, { ...again, ...retry.add }, retry.status);
        return;
      }
      await show(res, code, latest.n, { ...again, check: await publisher.check(files, { held }) });
    });
  }

  return router;
}
