import { Router, type Request, type Response } from 'express';
import type { ContactValue } from '../../core/knowledge/editing/contact-patch.js';
import { facilityCard } from '../../core/conversation/facility-cards.js';
import { ReplyComposer } from '../../core/conversation/replies.js';
import { japanDate } from '../../core/knowledge/freshness.js';
import { FACET_LABELS } from '../../core/knowledge/labels.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../../core/knowledge/load.js';
import { FACETS } from '../../core/knowledge/schema.js';
import type { KnowledgeService } from '../../app/publishing/service.js';
import { renderLine } from '../line/render.js';
import { signedIn } from './auth.js';
import { currentVersionOf, formField, pageStaff, type ParsedVersions, publishFromForm, publishNote, sendNotFound, versionParser } from './kb-route-kit.js';
import { applyContactDraft, CONTACT_ID, CONTACTS_FILE, contactDraftFromForm, contactDraftOf, emptyContactDraft } from './contact-form.js';
import { nextId } from './new-ids.js';
import type { FormError } from './kb-form.js';
import { contactFormPage, contactListPage, type ContactFormView, type ContactUse } from './views/kb-contacts.js';
import type { Notice } from './views/layout.js';
import { recordTranslationList } from './record-translation-routes.js';
import { CONTACT_TRANSLATION } from './record-translation.js';

export interface ContactRoutesDeps {
  /** Stored versions parsed once for all the knowledge-base pages (one per console). */
  parsed?: ParsedVersions;
  knowledge: Pick<KnowledgeService, 'publisher' | 'live' | 'store'>;
  now?: () => number;
}

const NOTICES: Record<string, Notice> = {
  unchanged: { kind: 'warn', text: '公開中の内容と同じだったため、新しい版は作りませんでした。' },
};

/** Where a contact's number reaches parents: answers that give it, facility cards that show it, emergency guidance. */
export function contactUses(kb: KnowledgeBase, id: string, tel: string): ContactUse[] {
  const entries = [...kb.entries.values()].flatMap((e) =>
    FACETS.filter((f) => e.facets[f]?.phones.includes(id)).map((f) => ({
      kind: 'answer' as const,
      label: `${e.title}（${FACET_LABELS[f]}）`,
      href: `/console/kb/entries/${e.id}`,
      intent: e.id,
      facet: f,
    })),
  );
  const facilities = kb.facilities.facilities
    .filter((f) => f.tel === tel)
    .map((f) => ({ kind: 'facility' as const, label: f.name, href: `/console/kb/facilities/${f.id}`, id: f.id }));
  const emergency = Object.entries(kb.emergency.guidance)
    .filter(([, g]) => g.phones.includes(id))
    .map(([, g]) => ({ kind: 'emergency' as const, label: `緊急時の案内「${g.title}」` }));
  return [...entries, ...facilities, ...emergency];
}

/**
 * The staff console's pages for the phone ledger (knowledge/_contacts.yaml): the list, and one contact's form with the
 * same check, preview (the cards that give the number) and publish as entries, through the same pipeline. A number
 * staff write in an answer must be in the ledger with its source; this is where they add it.
 */
export function contactRoutes(deps: ContactRoutesDeps): Router {
  const kbOf = deps.parsed ?? versionParser();
  const router = Router();
  const { publisher, live, store } = deps.knowledge;
  const now = deps.now ?? Date.now;

  const currentVersion = () => currentVersionOf(store);

  const notFound = (res: Response) =>
    sendNotFound(res, '連絡先が見つかりません', 'この連絡先は台帳にありません。', { href: '/console/kb/contacts', label: '連絡先の台帳へ戻る' });

  /** The cards that give this number, as the parent would get them with the draft (a few; only when the draft loads). */
  function preview(kb: KnowledgeBase | undefined, draft: ContactValue): ContactFormView['preview'] {
    if (!kb?.contacts.has(draft.id)) return undefined;
    const composer = ReplyComposer.for(kb);
    const today = japanDate(now());
    return contactUses(kb, draft.id, draft.tel)
      .slice(0, 3)
      .flatMap((u) => {
        if (u.kind === 'answer') return [{ label: u.label, messages: renderLine([composer.answer(u.intent, u.facet, today)], [], { strict: false }).messages }];
        const f = u.kind === 'facility' ? kb.facilities.facilities.find((x) => x.id === u.id) : undefined;
        return f ? [{ label: u.label, messages: renderLine([{ type: 'facilities', items: [facilityCard(kb, f)] }], [], { strict: false }).messages }] : [];
      });
  }

  function show(res: Response, kb: KnowledgeBase, view: Omit<ContactFormView, 'staff' | 'csrfToken' | 'index' | 'uses'>, status = 200) {
    const index = [...kb.contacts.keys()].indexOf(view.id || view.draft.id);
    res
      .status(status)
      .type('html')
      .send(
        contactFormPage({
          ...view,
          index: index >= 0 ? index : view.id ? undefined : kb.contacts.size,
          uses: view.id ? contactUses(kb, view.id, kb.contacts.get(view.id)?.tel ?? view.draft.tel) : [],
          staff: pageStaff(res),
          csrfToken: signedIn(res).session.csrfToken,
        }).value,
      );
  }

  router.get('/kb/contacts', (req, res) => {
    const kb = live.core().kb;
    const rows = [...kb.contacts.values()].map((c) => ({ ...c, uses: contactUses(kb, c.id, c.tel).length }));
    const n = typeof req.query.m === 'string' ? NOTICES[req.query.m] : undefined;
    res.type('html').send(contactListPage({ rows, version: live.version(), staff: pageStaff(res), ...(n ? { notice: n } : {}) }).value);
  });

  router.get('/kb/contacts/new', async (req, res) => {
    const v = await currentVersion();
    // Linked from a refusal 「…は knowledge/_contacts.yaml にない番号です」: the number staff wrote comes with it.
    const tel = typeof req.query.tel === 'string' ? req.query.tel.slice(0, 20) : '';
    show(res, live.core().kb, { id: '', base: v.n, draft: emptyContactDraft(tel, japanDate(now())) });
  });

  router.get('/kb/contacts/:id', async (req, res) => {
    const id = String(req.params.id);
    const v = await currentVersion();
    const kb = kbOf(v) ?? live.core().kb;
    const c = CONTACT_ID.test(id) ? kb.contacts.get(id) : undefined;
    if (!c) return notFound(res);
    const n = typeof req.query.m === 'string' ? NOTICES[req.query.m] : undefined;
    show(res, kb, {
      id,
      base: v.n,
      draft: contactDraftOf(c),
      translations: recordTranslationList(CONTACT_TRANSLATION, kb, v.files, id),
      ...(n ? { notice: n } : {}),
    });
  });

  async function submit(req: Request, res: Response, id: string) {
    const base = Number(formField(req, 'base'));
    const baseVersion = Number.isSafeInteger(base) && base > 0 ? await store.get(base) : undefined;
    if (!baseVersion) return notFound(res);
    const baseKb = kbOf(baseVersion) ?? live.core().kb;
    const existing = id ? baseKb.contacts.get(id) : undefined;
    if (id && !existing) return notFound(res);
    const { draft, errors } = contactDraftFromForm(req.body, existing ? contactDraftOf(existing) : emptyContactDraft());
    const message = publishNote(req);
    // Staff do not name records: a new contact is numbered unless an id was sent.
    if (!id && draft && !draft.id) draft.id = nextId('contact', baseKb.contacts.keys());
    if (!id && draft && baseKb.contacts.has(draft.id)) errors.push({ field: 'id', message: 'その記号の連絡先はすでにあります。' });
    if (!draft || errors.length) return show(res, baseKb, { id, base, draft: draft ?? emptyContactDraft(), formErrors: errors, message }, 400);

    // Edits apply to the newest version, unless someone changed the ledger meanwhile: then it is theirs to see first.
    const latest = await currentVersion();
    if (latest.n !== base && latest.files[CONTACTS_FILE] !== baseVersion.files[CONTACTS_FILE]) {
      const formErrors: FormError[] = [
        {
          field: 'name',
          message: `連絡先の台帳は、編集している間に別の人が変更して公開しました（版${latest.n}）。ページを開き直して、もう一度直してください。`,
        },
      ];
      return show(res, baseKb, { id, base, draft, formErrors, message }, 409);
    }
    const files = applyContactDraft(latest.files, draft);
    const draftKb = loadKnowledgeBase({ files }).kb;
    const withPreview = () => {
      const cards = preview(draftKb, draft);
      return cards ? { preview: cards } : {};
    };
    const again = { id, base: latest.n, draft, message };
    if (formField(req, 'action') !== 'publish') return show(res, draftKb ?? baseKb, { ...again, check: await publisher.check(files), ...withPreview() });
    const retry = await publishFromForm(res, publisher, {
      files,
      author: signedIn(res).account.username,
      message,
      base: latest.n,
      unchangedHref: `/console/kb/contacts/${id || draft.id}`,
    });
    if (retry)
      return show(res, 'check' in retry.add ? (draftKb ?? baseKb) : baseKb, { ...again, ...retry.add, ...(retry.preview ? withPreview() : {}) }, retry.status);
  }

  router.post('/kb/contacts/new', (req, res) => submit(req, res, ''));
  router.post('/kb/contacts/:id', (req, res) => {
    const id = String(req.params.id);
    if (!CONTACT_ID.test(id)) return notFound(res);
    return submit(req, res, id);
  });

  return router;
}
