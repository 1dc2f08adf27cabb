import { Router, type Response } from 'express';
import type { KnowledgeService } from '../../app/publishing/service.js';
import type { KnowledgeVersion } from '../../app/publishing/store.js';
import { voiceIn } from '../../core/conversation/voice.js';
import { CONCIERGE_CONTACT_ID } from '../../core/knowledge/concierge-contact.js';
import type { EntryTranslationValue } from '../../core/knowledge/editing/translation-patch.js';
import { japanDate } from '../../core/knowledge/freshness.js';
import { FACET_LABELS } from '../../core/knowledge/labels.js';
import { BASE_LANGUAGE } from '../../core/knowledge/languages/schema.js';
import type { KnowledgeBase } from '../../core/knowledge/load.js';
import { fieldLabel } from '../../core/knowledge/messages.js';
import { FACETS, type Facet } from '../../core/knowledge/schema.js';
import { renderLine } from '../line/render.js';
import { signedIn } from './auth.js';
import type { FormError } from './kb-form.js';
import { currentVersionOf, formField, pageStaff, type ParsedVersions, publishFromForm, publishNote, sendNotFound, versionParser } from './kb-route-kit.js';
import { applyTranslationDraft, changedFields, heldBy, translationDraftFromForm, translationDraftOf, translationFile } from './translation-form.js';
import { inStaffWords } from './views/kb-report.js';
import { japaneseChangesSince, withoutFallbackNote } from './translation-kit.js';
import { translationControl, translationFormPage, type StalePart, type TranslationFormView } from './views/kb-translation.js';
import type { Notice } from './views/layout.js';

export interface TranslationRoutesDeps {
  /** Stored versions parsed once for all the knowledge-base pages (one per console). */
  parsed?: ParsedVersions;
  knowledge: Pick<KnowledgeService, 'publisher' | 'store'>;
  now?: () => number;
}

const NOTICES: Record<string, Notice> = {
  unchanged: { kind: 'warn', text: '公開中の訳と同じだったため、新しい版は作りませんでした。' },
};

const ENTRY_ID = /^[a-z][a-z0-9-]{0,60}$/;
const CODE = /^[a-z]{2,3}(-[a-z0-9]{2,8})?$/;

/**
 * An entry's translation into one language, edited by staff like the Japanese: the form beside the Japanese, the same
 * check (the translation checks: the Japanese numbers, dates, URLs; やさしい日本語's writing rules) and preview, and
 * publishing as a new knowledge-base version through the one publisher. A translation written here that does not match
 * its Japanese is refused, not set aside.
 */
export function translationRoutes(deps: TranslationRoutesDeps): Router {
  const router = Router();
  const { publisher, store } = deps.knowledge;
  const now = deps.now ?? Date.now;
  const me = (res: Response) => signedIn(res).account.username;

  const kbOf = deps.parsed ?? versionParser();

  const notFound = (res: Response) =>
    sendNotFound(res, '訳が見つかりません', 'この項目か言語は知識ベースにありません。', { href: '/console/kb', label: '項目の一覧へ戻る' });

  /** The set-aside parts of the translation, each with what changed in its Japanese since the translation was written. */
  async function staleParts(v: KnowledgeVersion, kb: KnowledgeBase, code: string, id: string): Promise<StalePart[]> {
    const file = translationFile(code, id);
    const problems = kb.languages.get(code)?.stale.filter((p) => p.file === file) ?? [];
    if (!problems.length) return [];
    const changes = await japaneseChangesSince(store, v, `knowledge/${id}.yaml`, (older) => older.files[file] === v.files[file]);
    return problems.map((p) => {
      const facet = /^facets\.(\w+)/.exec(p.field)?.[1] as Facet | undefined;
      const label = facet && FACET_LABELS[facet];
      return {
        text: `${fieldLabel(p.field)}：${inStaffWords(withoutFallbackNote(p.message))}`,
        control: translationControl(p),
        japaneseChanges: changes.filter((c) =>
          label ? c.field === `${label} › 本文` || c.field.startsWith(`${label} › 期間つきの文`) : c.field === 'タイトル' || c.field === '要約',
        ),
      };
    });
  }

  /** The cards a parent reading the language gets for each facet, from a checked candidate. */
  function preview(kb: KnowledgeBase | undefined, code: string, id: string): TranslationFormView['preview'] {
    if (!kb?.entries.has(id) || !kb.contacts.has(CONCIERGE_CONTACT_ID) || !kb.languages.has(code)) return undefined;
    const { compose } = voiceIn(kb, code);
    const entry = kb.entries.get(id)!;
    const today = japanDate(now());
    return FACETS.filter((f) => entry.facets[f]).map((f) => ({
      facet: f,
      messages: renderLine([compose.answer(id, f, today)], [], { strict: false }).messages,
    }));
  }

  async function showForm(
    res: Response,
    id: string,
    code: string,
    base: number,
    extra: Partial<TranslationFormView> & { draft?: EntryTranslationValue } = {},
    status = 200,
  ) {
    const version = await store.get(base);
    const kb = version && kbOf(version);
    const entry = kb?.entries.get(id);
    const meta = kb?.languages.get(code)?.meta;
    if (!version || !kb || !entry || !meta || code === BASE_LANGUAGE) return notFound(res);
    const file = translationFile(code, id);
    const view: TranslationFormView = {
      id,
      base,
      code,
      language: meta.nameJa,
      japanese: entry,
      draft: extra.draft ?? translationDraftOf(version.files[file], entry),
      exists: version.files[file] !== undefined,
      stale: await staleParts(version, kb, code, id),
      staff: pageStaff(res),
      csrfToken: signedIn(res).session.csrfToken,
      ...extra,
    };
    res.status(status).type('html').send(translationFormPage(view).value);
  }

  const params = (p: Record<string, string>) => {
    const id = String(p.id);
    const code = String(p.code);
    return ENTRY_ID.test(id) && CODE.test(code) && code !== BASE_LANGUAGE ? { id, code } : undefined;
  };

  router.get('/kb/entries/:id/translations/:code', async (req, res) => {
    const p = params(req.params);
    if (!p) return notFound(res);
    const n = typeof req.query.m === 'string' ? NOTICES[req.query.m] : undefined;
    await showForm(res, p.id, p.code, (await currentVersionOf(store)).n, n ? { notice: n } : {});
  });

  router.post('/kb/entries/:id/translations/:code', async (req, res) => {
    const p = params(req.params);
    if (!p) return notFound(res);
    const { id, code } = p;
    const base = Number(formField(req, 'base'));
    const baseVersion = Number.isSafeInteger(base) && base > 0 ? await store.get(base) : undefined;
    const entry = baseVersion && kbOf(baseVersion)?.entries.get(id);
    if (!baseVersion || !entry || !kbOf(baseVersion)?.languages.has(code)) return notFound(res);
    const draft = translationDraftFromForm(req.body, entry);
    const message = publishNote(req);
    if (!draft)
      return showForm(res, id, code, base, { formErrors: [{ field: 'title', message: '送信された内容が大きすぎるか、正しくありません。' }], message }, 400);
    const action = formField(req, 'action') === 'publish' ? 'publish' : 'preview';

    // Edits apply to the newest version, unless this translation, or the Japanese it translates, changed meanwhile.
    const latest = await currentVersionOf(store);
    const file = translationFile(code, id);
    const jaFile = `knowledge/${id}.yaml`;
    if (latest.n !== base && [file, jaFile].some((f) => latest.files[f] !== baseVersion.files[f])) {
      const formErrors: FormError[] = [
        {
          field: 'title',
          message: `この項目の日本語か訳が、編集している間に変わりました（版${latest.n}）。下の欄はあなたが書いたままです。変わった日本語と見比べてから、もう一度確認してください。`,
        },
      ];
      return showForm(res, id, code, latest.n, { draft, formErrors, message }, 409);
    }
    const latestEntry = kbOf(latest)?.entries.get(id) ?? entry;
    const changed = changedFields(translationDraftOf(latest.files[file], latestEntry), draft);
    const files = applyTranslationDraft(latest.files, code, id, draft);
    const held = heldBy(file, changed);

    if (action === 'publish') {
      const again = await publishFromForm(res, publisher, {
        files,
        author: me(res),
        message,
        base: latest.n,
        held,
        unchangedHref: `/console/kb/entries/${id}/translations/${code}`,
      });
      if (again) return showForm(res, id, code, latest.n, { draft, message, ...again.add }, again.status);
      return;
    }
    const report = await publisher.check(files, { held });
    // Cards only for a translation that holds: a refused one would show the fallback language, not what was written.
    await showForm(res, id, code, latest.n, { draft, message, check: report, ...(report.ok ? { preview: preview(report.core?.kb, code, id) } : {}) });
  });

  return router;
}
