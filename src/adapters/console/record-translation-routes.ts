import { Router, type Request, type Response } from 'express';
import type { KnowledgeService } from '../../app/publishing/service.js';
import type { KnowledgeVersion } from '../../app/publishing/store.js';
import { facilityCard } from '../../core/conversation/facility-cards.js';
import { voiceIn } from '../../core/conversation/voice.js';
import type { KnowledgeBase } from '../../core/knowledge/load.js';
import { fieldLabel } from '../../core/knowledge/messages.js';
import { renderLine } from '../line/render.js';
import { signedIn } from './auth.js';
import type { FormError } from './kb-form.js';
import { currentVersionOf, formField, pageStaff, type ParsedVersions, publishFromForm, publishNote, sendNotFound, versionParser } from './kb-route-kit.js';
import {
  applyRecordDraft,
  CONTACT_TRANSLATION,
  FACILITY_TRANSLATION,
  recordControl,
  recordDraftFromForm,
  recordDraftOf,
  recordHeld,
  recordIn,
  recordIndex,
  recordTranslationFile,
  type RecordField,
  type RecordKind,
} from './record-translation.js';
import { japaneseChangesSince, translatable, withoutFallbackNote } from './translation-kit.js';
import { inStaffWords } from './views/kb-report.js';
import { recordTranslationPage, type RecordTranslationView, type TranslationLink } from './views/kb-record-translation.js';
import type { StalePart } from './views/kb-translation.js';
import type { Notice } from './views/layout.js';

export interface RecordTranslationRoutesDeps {
  /** Stored versions parsed once for all the knowledge-base pages (one per console). */
  parsed?: ParsedVersions;
  knowledge: Pick<KnowledgeService, 'publisher' | 'store'>;
}

const NOTICES: Record<string, Notice> = {
  unchanged: { kind: 'warn', text: '公開中の訳と同じだったため、新しい版は作りませんでした。' },
};

const RECORD_ID = /^[a-z0-9][a-z0-9-]{0,60}$/;

/** Each language's translation of a record, for the links on the record's own page. */
export function recordTranslationList(kind: RecordKind, kb: KnowledgeBase, files: Readonly<Record<string, string>>, id: string): TranslationLink[] {
  return [...kb.languages.values()]
    .filter((p) => translatable(kb, p.meta.code))
    .sort((x, y) => x.meta.order - y.meta.order)
    .map((pack) => {
      const file = recordTranslationFile(kind, pack.meta.code);
      const index = recordIndex(kind, files[file], id);
      return {
        name: pack.meta.nameJa,
        href: `/console/kb/${kind.listKey}/${id}/translations/${pack.meta.code}`,
        exists: index >= 0,
        stale: index < 0 ? 0 : pack.stale.filter(recordHeld(kind, file, index)).length,
      };
    });
}

/**
 * A contact's or a facility's words in one language, edited beside the Japanese and published through the one
 * publisher like every other edit. The record falls back whole when any of its words do not match the Japanese, so a
 * translation written here with any such problem is refused.
 */
export function recordTranslationRoutes(deps: RecordTranslationRoutesDeps): Router {
  const router = Router();
  const { publisher, store } = deps.knowledge;
  const kbOf = deps.parsed ?? versionParser();
  const me = (res: Response) => signedIn(res).account.username;

  for (const kind of [CONTACT_TRANSLATION, FACILITY_TRANSLATION]) {
    const path = `/kb/${kind.listKey}/:id/translations/:code`;
    const back = kind.listKey === 'contacts' ? '連絡先の台帳へ戻る' : '施設の一覧へ戻る';
    const notFound = (res: Response) =>
      sendNotFound(res, '訳が見つかりません', `この${kind.noun}か言語は知識ベースにありません。`, { href: `/console/kb/${kind.listKey}`, label: back });

    /** The record's set-aside problems, with the Japanese that changed since its translation was written. */
    async function staleParts(
      v: KnowledgeVersion,
      kb: KnowledgeBase,
      code: string,
      id: string,
      record: { name: string; fields: RecordField[] },
    ): Promise<StalePart[]> {
      const file = recordTranslationFile(kind, code);
      const index = recordIndex(kind, v.files[file], id);
      const problems = kb.languages.get(code)?.stale.filter(recordHeld(kind, file, index)) ?? [];
      if (!problems.length) return [];
      const own = JSON.stringify(recordIn(kind, v.files[file], id));
      const changes = await japaneseChangesSince(store, v, kind.japaneseFile, (older) => JSON.stringify(recordIn(kind, older.files[file], id)) === own);
      const mine = changes.filter((c) => c.field.startsWith(`${kind.noun}「${record.name}」 › `));
      return problems.map((p) => {
        const control = recordControl(kind, p, index);
        const label = record.fields.find((f) => f.key === control)?.label ?? fieldLabel(p.field);
        return { text: `${label}：${inStaffWords(withoutFallbackNote(p.message))}`, control, japaneseChanges: mine };
      });
    }

    function preview(kb: KnowledgeBase | undefined, code: string, id: string): RecordTranslationView['preview'] {
      const f = kind === FACILITY_TRANSLATION ? kb?.facilities.facilities.find((x) => x.id === id) : undefined;
      if (!kb || !f || !kb.languages.has(code)) return undefined;
      const { compose } = voiceIn(kb, code);
      const words = compose.words;
      const reply = { type: 'facilities' as const, items: [compose.facilityCard(facilityCard(kb, f))], ...(words ? { words } : {}) };
      return [{ label: '施設をたずねられたとき', messages: renderLine([reply], [], { strict: false }).messages }];
    }

    async function show(res: Response, id: string, code: string, base: number, extra: Partial<RecordTranslationView> = {}, status = 200) {
      const version = await store.get(base);
      const kb = version && kbOf(version);
      const record = kb && translatable(kb, code) ? kind.find(kb, id) : undefined;
      if (!version || !kb || !record) return notFound(res);
      const file = recordTranslationFile(kind, code);
      const view: RecordTranslationView = {
        action: `/console/kb/${kind.listKey}/${id}/translations/${code}`,
        back: { href: `/console/kb/${kind.listKey}/${id}`, label: `${kind.noun}「${record.name}」へ戻る` },
        noun: kind.noun,
        name: record.name,
        language: kb.languages.get(code)!.meta.nameJa,
        base,
        fields: record.fields,
        draft: recordDraftOf(kind, version.files[file], id, record.fields),
        exists: recordIn(kind, version.files[file], id) !== undefined,
        stale: await staleParts(version, kb, code, id, record),
        control: () => undefined,
        staff: pageStaff(res),
        csrfToken: signedIn(res).session.csrfToken,
        ...extra,
      };
      res.status(status).type('html').send(recordTranslationPage(view).value);
    }

    const params = (req: Request) => {
      const id = String(req.params.id);
      const code = String(req.params.code);
      return RECORD_ID.test(id) ? { id, code } : undefined;
    };

    router.get(path, async (req, res) => {
      const p = params(req);
      if (!p) return notFound(res);
      const n = typeof req.query.m === 'string' ? NOTICES[req.query.m] : undefined;
      await show(res, p.id, p.code, (await currentVersionOf(store)).n, n ? { notice: n } : {});
    });

    router.post(path, async (req, res) => {
      const p = params(req);
      if (!p) return notFound(res);
      const { id, code } = p;
      const base = Number(formField(req, 'base'));
      const baseVersion = Number.isSafeInteger(base) && base > 0 ? await store.get(base) : undefined;
      const baseKb = baseVersion && kbOf(baseVersion);
      const record = baseKb && translatable(baseKb, code) ? kind.find(baseKb, id) : undefined;
      if (!baseVersion || !record) return notFound(res);
      const draft = recordDraftFromForm(req.body, record.fields);
      const message = publishNote(req);
      if (!draft)
        return show(res, id, code, base, { formErrors: [{ field: 'name', message: '送信された内容が大きすぎるか、正しくありません。' }], message }, 400);

      // Edits apply to the newest version, unless this record's words, or its Japanese, changed meanwhile.
      const latest = await currentVersionOf(store);
      const file = recordTranslationFile(kind, code);
      const mine = (v: KnowledgeVersion) => JSON.stringify(recordIn(kind, v.files[file], id));
      const japanese = (v: KnowledgeVersion) => JSON.stringify(kbOf(v) && kind.find(kbOf(v)!, id));
      if (latest.n !== base && (mine(latest) !== mine(baseVersion) || japanese(latest) !== japanese(baseVersion))) {
        const formErrors: FormError[] = [
          {
            field: 'name',
            message: `この${kind.noun}の日本語か訳が、編集している間に変わりました（版${latest.n}）。下の欄はあなたが書いたままです。見比べてから、もう一度確認してください。`,
          },
        ];
        return show(res, id, code, latest.n, { draft, formErrors, message }, 409);
      }
      const files = applyRecordDraft(latest.files, kind, code, id, record.fields, draft);
      const index = recordIndex(kind, files[file], id);
      const held = recordHeld(kind, file, index);
      const control = (field: string) => recordControl(kind, { field }, index);
      const again = { draft, message, control };

      if (formField(req, 'action') === 'publish') {
        const retry = await publishFromForm(res, publisher, {
          files,
          author: me(res),
          message,
          base: latest.n,
          held,
          unchangedHref: `/console/kb/${kind.listKey}/${id}/translations/${code}`,
        });
        if (retry) return show(res, id, code, latest.n, { ...again, ...retry.add }, retry.status);
        return;
      }
      const report = await publisher.check(files, { held });
      const cards = report.ok ? preview(report.core?.kb, code, id) : undefined;
      await show(res, id, code, latest.n, { ...again, check: report, ...(cards ? { preview: cards } : {}) });
    });
  }

  return router;
}
