import { Router, type Request, type Response } from 'express';
import { facilityCard } from '../../core/conversation/facility-cards.js';
import { FACILITIES_FILE } from '../../core/knowledge/facilities/schema.js';
import { japanDate } from '../../core/knowledge/freshness.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../../core/knowledge/load.js';
import type { KnowledgeService } from '../stores/knowledge-service.js';
import { renderLine } from '../line/render.js';
import { signedIn } from './auth.js';
import { currentVersionOf, formField, pageStaff, type ParsedVersions, publishFromForm, publishNote, sendNotFound, versionParser } from './kb-route-kit.js';
import { nextId } from './new-ids.js';
import { applyFacilityDraft, emptyFacilityDraft, facilityDraftFromForm, facilityDraftOf, type FacilityDraft } from './facility-form.js';
import type { FormError } from './kb-form.js';
import { facilityFormPage, facilityListPage, type FacilityFormView } from './views/kb-facilities.js';
import type { Notice } from './views/layout.js';
import { recordTranslationList } from './record-translation-routes.js';
import { FACILITY_TRANSLATION } from './record-translation.js';

export interface FacilityRoutesDeps {
  /** Stored versions parsed once for all the knowledge-base pages (one per console). */
  parsed?: ParsedVersions;
  knowledge: Pick<KnowledgeService, 'publisher' | 'live' | 'store'>;
  now?: () => number;
}

const FACILITY_ID = /^[a-z][a-z0-9-]{0,60}$/;
const NOTICES: Record<string, Notice> = {
  unchanged: { kind: 'warn', text: '公開中の内容と同じだったため、新しい版は作りませんでした。' },
};

/**
 * The staff console's facility pages: the list, and one facility's form with the same check, preview (the card as
 * LINE shows it) and publish as entries — through the same pipeline, so an invalid facility never goes live.
 */
export function facilityRoutes(deps: FacilityRoutesDeps): Router {
  const kbOf = deps.parsed ?? versionParser();
  const router = Router();
  const { publisher, live, store } = deps.knowledge;
  const now = deps.now ?? Date.now;

  const currentVersion = () => currentVersionOf(store);

  const notFound = (res: Response) =>
    sendNotFound(res, '施設が見つかりません', 'この施設は台帳にありません。', { href: '/console/kb/facilities', label: '施設の一覧へ戻る' });

  /** The card as the parent would get it (only when the draft loads at all). */
  function preview(kb: KnowledgeBase | undefined, id: string): unknown[] | undefined {
    const f = kb?.facilities.facilities.find((x) => x.id === id);
    if (!kb || !f) return undefined;
    return renderLine([{ type: 'facilities', items: [facilityCard(kb, f)] }], [], { strict: false }).messages;
  }

  function show(res: Response, kb: KnowledgeBase, view: Omit<FacilityFormView, 'areas' | 'topics' | 'today' | 'staff' | 'csrfToken'>, status = 200) {
    const index = view.id ? kb.facilities.facilities.findIndex((f) => f.id === view.id) : kb.facilities.facilities.length;
    const full: FacilityFormView = {
      ...view,
      areas: kb.facilities.areas.map((a) => a.name),
      topics: [...kb.entries.values()].map((e) => ({ id: e.id, title: e.title })),
      today: japanDate(now()),
      staff: pageStaff(res),
      csrfToken: signedIn(res).session.csrfToken,
    };
    res
      .status(status)
      .type('html')
      .send(facilityFormPage(full, index >= 0 ? index : undefined).value);
  }

  router.get('/kb/facilities', (req, res) => {
    const kb = live.core().kb;
    const rows = kb.facilities.facilities.map((f) => {
      const card = facilityCard(kb, f);
      return { id: f.id, name: f.name, kind: f.kind, ...(f.area ? { area: f.area } : {}), missing: card.missing, oldestChecked: card.checked };
    });
    const n = typeof req.query.m === 'string' ? NOTICES[req.query.m] : undefined;
    res.type('html').send(facilityListPage({ rows, version: live.version(), staff: pageStaff(res), ...(n ? { notice: n } : {}) }).value);
  });

  router.get('/kb/facilities/new', async (_req, res) => {
    const v = await currentVersion();
    show(res, live.core().kb, { id: '', base: v.n, draft: emptyFacilityDraft() });
  });

  router.get('/kb/facilities/:id', async (req, res) => {
    const id = String(req.params.id);
    const v = await currentVersion();
    const kb = kbOf(v) ?? live.core().kb;
    const f = FACILITY_ID.test(id) ? kb.facilities.facilities.find((x) => x.id === id) : undefined;
    if (!f) return notFound(res);
    show(res, kb, { id, base: v.n, draft: facilityDraftOf(f, kb.facilities), translations: recordTranslationList(FACILITY_TRANSLATION, kb, v.files, id) });
  });

  async function submit(req: Request, res: Response, id: string) {
    const base = Number(formField(req, 'base'));
    const baseVersion = Number.isSafeInteger(base) && base > 0 ? await store.get(base) : undefined;
    if (!baseVersion) return notFound(res);
    const baseKb = kbOf(baseVersion) ?? live.core().kb;
    const existing = id ? baseKb.facilities.facilities.find((f) => f.id === id) : undefined;
    if (id && !existing) return notFound(res);
    const original: FacilityDraft = existing ? facilityDraftOf(existing, baseKb.facilities) : emptyFacilityDraft();
    const { draft, errors } = facilityDraftFromForm(
      req.body,
      original,
      baseKb.facilities.sources.map((s) => s.id),
    );
    const message = publishNote(req);
    // Staff do not name records: a new facility is numbered unless an id was sent.
    if (!id && draft && !draft.facility.id)
      draft.facility.id = nextId(
        'facility',
        baseKb.facilities.facilities.map((f) => f.id),
      );
    if (!id && draft && baseKb.facilities.facilities.some((f) => f.id === draft.facility.id))
      errors.push({ field: 'id', message: 'その記号の施設はすでにあります。' });
    if (!draft || errors.length) return show(res, baseKb, { id, base, draft: draft ?? original, formErrors: errors, message }, 400);

    // Edits apply to the newest version, unless someone changed the facility file meanwhile: then it is theirs to see first.
    const latest = await currentVersion();
    if (latest.n !== base && latest.files[FACILITIES_FILE] !== baseVersion.files[FACILITIES_FILE]) {
      const formErrors: FormError[] = [
        { field: 'name', message: `施設の台帳は、編集している間に別の人が変更して公開しました（版${latest.n}）。ページを開き直して、もう一度直してください。` },
      ];
      return show(res, baseKb, { id, base, draft, formErrors, message }, 409);
    }
    const files = applyFacilityDraft(latest.files, draft);
    // The draft is parsed once; its cards are rendered only for the pages that show them.
    const draftKb = loadKnowledgeBase({ files }).kb;
    const cards = () => preview(draftKb, draft.facility.id);
    const target = id || draft.facility.id;
    if (formField(req, 'action') === 'publish') {
      const retry = await publishFromForm(res, publisher, {
        files,
        author: signedIn(res).account.username,
        message,
        base: latest.n,
        unchangedHref: `/console/kb/facilities/${target}`,
      });
      if (retry)
        return show(
          res,
          'check' in retry.add ? (draftKb ?? baseKb) : baseKb,
          { id, base: latest.n, draft, message, ...retry.add, ...(retry.preview ? withPreview(cards()) : {}) },
          retry.status,
        );
      return;
    }
    const report = await publisher.check(files);
    show(res, draftKb ?? baseKb, { id, base: latest.n, draft, message, check: report, ...withPreview(cards()) });
  }

  router.post('/kb/facilities/new', (req, res) => submit(req, res, ''));
  router.post('/kb/facilities/:id', (req, res) => {
    const id = String(req.params.id);
    if (!FACILITY_ID.test(id)) return notFound(res);
    return submit(req, res, id);
  });

  return router;
}

const withPreview = (preview: unknown[] | undefined) => (preview ? { preview } : {});
