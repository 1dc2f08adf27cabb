import { Router, type Request, type Response } from 'express';
import { japanDate, staleEntries } from '../../core/knowledge/freshness.js';
import { CONCIERGE_CONTACT_ID } from '../../core/knowledge/concierge-contact.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../../core/knowledge/load.js';
import { diffKnowledge } from '../../core/knowledge/diff.js';
import type { KnowledgeService } from '../../app/publishing/service.js';
import type { PublishResult } from '../../app/publishing/publisher.js';
import { FACETS, type Facet, type KnowledgeEntry } from '../../core/knowledge/schema.js';
import { localizeEntry } from '../../core/knowledge/languages/localize.js';
import { BASE_LANGUAGE } from '../../core/knowledge/languages/schema.js';
import { fieldLabel } from '../../core/knowledge/messages.js';
import { inStaffWords } from './views/kb-report.js';
import { decodeCsv, encodeCsv, parseCsv } from '../../core/knowledge/spreadsheet/csv.js';
import { COLUMNS, problemRows, rowsFromKnowledge } from '../../core/knowledge/spreadsheet/rows.js';
import { FACILITY_COLUMNS, rowsFromFacilities } from '../../core/knowledge/spreadsheet/facility-rows.js';
import { applySheet } from '../../core/knowledge/spreadsheet/sheet.js';
import { ReplyComposer } from '../../core/conversation/replies.js';
import type { Logger } from '../../app/log.js';
import { renderLine } from '../line/render.js';
import type { AccountStore } from './accounts.js';
import { signedIn } from './auth.js';
import { currentVersionOf, formField, pageStaff, type ParsedVersions, publishFromForm, publishNote, versionParser } from './kb-route-kit.js';
import { applyDraft, draftFromForm, draftOf, type EntryDraft, type FormError } from './kb-form.js';
import type { UploadedFile } from './multipart.js';
import { newEntryFiles, NEW_ENTRY_MIN_EXAMPLES, type NewEntryInput } from '../../core/knowledge/editing/new-entry.js';
import { newEntryPage } from './views/kb-new.js';
import { entryFormPage, entryListPage, type EntryFormView, type EntryRow, type TranslationReview } from './views/kb-entries.js';
import { csvPage, freshnessPage, type CsvImportOutcome } from './views/kb-tools.js';
import { setAsideRows } from './translation-kit.js';
import { versionDiffPage, versionListPage } from './views/kb-versions.js';
import { messagePage, type Notice } from './views/layout.js';
import { nextId } from './new-ids.js';
import { citedSources } from '../../core/knowledge/source-urls.js';
import { markSourceChecked } from '../../core/knowledge/editing/checked-patch.js';
import { needsLook, type WatchStore } from '../../app/sources/watch-store.js';
import { watchedSection, type WatchedRow } from './views/kb-sources.js';

export interface KbRoutesDeps {
  /** Stored versions parsed once for all the knowledge-base pages (one per console). */
  parsed?: ParsedVersions;
  knowledge: Pick<KnowledgeService, 'publisher' | 'live' | 'store'>;
  accounts: AccountStore;
  logger: Logger;
  /** The source watch's records (the freshness page lists what it found); without it the page shows only dates. */
  sourceWatch?: { store: WatchStore; enabled: boolean };
  now?: () => number;
}

const NOTICES: Record<string, Notice> = {
  published: { kind: 'ok', text: '公開しました。数秒ですべてのボットに反映されます。' },
  'rolled-back': { kind: 'ok', text: '選んだ版の内容を、新しい版として公開しました。数秒ですべてのボットに反映されます。' },
  unchanged: { kind: 'warn', text: '公開中の内容と同じだったため、新しい版は作りませんでした。' },
  confirmed: { kind: 'ok', text: '確認した日を記録し、その出典を使うものの確認日を今日にして公開しました。' },
};

const ENTRY_ID = /^[a-z][a-z0-9-]{0,60}$/;
const fold = (s: string) => s.normalize('NFKC').toLowerCase();

/** The staff console's knowledge-base pages: list and edit entries, check and preview, publish, history, CSV. */
export function kbRoutes(deps: KbRoutesDeps): Router {
  const router = Router();
  const { publisher, live, store } = deps.knowledge;
  const now = deps.now ?? Date.now;
  const me = (res: Response) => signedIn(res).account.username;
  const notice = (req: Request) => (typeof req.query.m === 'string' ? NOTICES[req.query.m] : undefined);
  const staffNames = async () => {
    const names = new Map((await deps.accounts.list()).map((a) => [a.username, a.name]));
    return (u: string) => (names.get(u) ? `${names.get(u)} さん` : u === 'system' ? 'リポジトリから' : u.startsWith('cli:') ? `コマンド（${u.slice(4)}）` : u);
  };

  const kbOf = deps.parsed ?? versionParser();

  const currentVersion = () => currentVersionOf(store);

  router.get('/kb', async (req, res) => {
    const kb = live.core().kb;
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 100).trim() : '';
    const today = japanDate(now());
    const stale = new Map(staleEntries(kb, today).map((s) => [s.id, s]));
    const rows: EntryRow[] = [...kb.entries.values()]
      .filter((e) => {
        if (!q) return true;
        const hay = fold(
          [e.id, e.title, e.summary, ...Object.values(e.facets).map((f) => f?.text ?? ''), ...(kb.intents.get(e.id)?.examples ?? [])].join('\n'),
        );
        return fold(q)
          .split(/\s+/)
          .every((w) => hay.includes(w));
      })
      .map((e) => ({
        id: e.id,
        title: e.title,
        topic: e.topic,
        summary: e.summary,
        facets: FACETS.filter((f) => e.facets[f]).length,
        oldestChecked: e.sources.map((s) => s.checked).sort()[0] ?? '',
        unconfirmed: stale.get(e.id)?.unconfirmed.length ?? 0,
        expired: stale.get(e.id)?.expired.length ?? 0,
      }))
      .sort((a, b) => a.title.localeCompare(b.title, 'ja'));
    const n = notice(req);
    res.type('html').send(entryListPage({ rows, q, version: live.version(), staff: pageStaff(res), ...(n ? { notice: n } : {}) }).value);
  });

  const entryNotFound = (res: Response) =>
    res
      .status(404)
      .type('html')
      .send(
        messagePage('項目が見つかりません', 'この項目は知識ベースにありません。', { href: '/console/kb', label: '項目の一覧へ戻る' }, pageStaff(res)).value,
      );

  /** Cards as the parent would get them, for each facet of the draft (only when the draft loads at all). */
  function preview(kb: KnowledgeBase | undefined, id: string): EntryFormView['preview'] {
    if (!kb?.entries.has(id) || !kb.contacts.has(CONCIERGE_CONTACT_ID)) return undefined;
    const composer = ReplyComposer.for(kb);
    const entry = kb.entries.get(id)!;
    const today = japanDate(now());
    return FACETS.filter((f) => entry.facets[f]).map((f: Facet) => ({
      facet: f,
      messages: renderLine([composer.answer(id, f, today)], composer.feedback(id), { strict: false }).messages,
    }));
  }

  /** The entry in every other language, as a parent reading it gets it (what is translated, what falls back). */
  function translationReview(kb: KnowledgeBase, entry: KnowledgeEntry): TranslationReview[] {
    const name = (code: string) => kb.languages.get(code)?.meta.nameJa ?? code;
    return [...kb.languages.values()]
      .filter((p) => p.meta.code !== BASE_LANGUAGE)
      .sort((a, b) => a.meta.order - b.meta.order)
      .map((pack) => {
        const code = pack.meta.code;
        const own = pack.entries.get(entry.id);
        const local = localizeEntry(kb.languages, entry, code);
        return {
          name: pack.meta.nameJa,
          href: `/console/kb/entries/${entry.id}/translations/${code}`,
          ...(own ? { title: own.title, summary: own.summary } : {}),
          facets: FACETS.filter((f) => local.entry.facets[f]).map((f) => ({
            facet: f,
            text: local.entry.facets[f]!.text,
            shownIn: name(local.facetLanguage[f] ?? BASE_LANGUAGE),
            translated: local.facetLanguage[f] === code,
          })),
          stale: pack.stale.filter((s) => s.file === `languages/${code}/${entry.id}.yaml`).map((s) => `${fieldLabel(s.field)}：${inStaffWords(s.message)}`),
        };
      });
  }

  /** The form for `base`'s entry, or for a draft (`extra.draft`) made from it. */
  async function showForm(res: Response, id: string, base: number, extra: Partial<EntryFormView> & { draft?: EntryDraft } = {}, status = 200) {
    const version = await store.get(base);
    const baseKb = (version && kbOf(version)) ?? live.core().kb;
    const entry = baseKb.entries.get(id);
    if (!entry) return entryNotFound(res);
    const view: EntryFormView = {
      id,
      base,
      draft: extra.draft ?? draftOf(entry, baseKb.intents.get(id)),
      contacts: [...live.core().kb.contacts.values()],
      staff: pageStaff(res),
      csrfToken: signedIn(res).session.csrfToken,
      translations: translationReview(baseKb, entry),
      ...extra,
    };
    res
      .status(status)
      .type('html')
      .send(entryFormPage(view, { sourceIds: entry.sources.map((s) => s.id) }).value);
  }

  router.get('/kb/entries/:id', async (req, res) => {
    const id = String(req.params.id);
    if (!ENTRY_ID.test(id)) return entryNotFound(res);
    const v = await currentVersion();
    const n = notice(req);
    await showForm(res, id, v.n, n ? { notice: n } : {});
  });

  router.post('/kb/entries/:id', async (req, res) => {
    const id = String(req.params.id);
    if (!ENTRY_ID.test(id)) return entryNotFound(res);
    const base = Number(formField(req, 'base'));
    const baseVersion = Number.isSafeInteger(base) && base > 0 ? await store.get(base) : undefined;
    if (!baseVersion) return entryNotFound(res);
    const baseEntry = kbOf(baseVersion)?.entries.get(id);
    if (!baseEntry) return entryNotFound(res);
    const { draft, errors } = draftFromForm(req.body, baseEntry);
    const message = publishNote(req);
    const action = formField(req, 'action') === 'publish' ? 'publish' : 'preview';
    if (!draft || errors.length) return showForm(res, id, base, { ...(draft ? { draft } : {}), formErrors: errors, message }, 400);

    // Edits apply to the newest version, unless someone changed this same entry meanwhile: then it is theirs to see first.
    const latest = await currentVersion();
    const touched = [`knowledge/${id}.yaml`, `intents/${id}.yaml`];
    if (latest.n !== base && touched.some((f) => latest.files[f] !== baseVersion.files[f])) {
      const formErrors: FormError[] = [
        {
          field: 'title',
          message: `この項目は、編集している間に別の人が変更して公開しました（版${latest.n}）。ページを開き直して、最新の内容に対してもう一度直してください。下の入力内容は送信されていません。`,
        },
      ];
      return showForm(res, id, base, { draft, formErrors, message }, 409);
    }
    const files = applyDraft(latest.files, id, draft);
    const cards = () => preview(loadKnowledgeBase({ files }).kb, id);

    if (action === 'publish') {
      const again = await publishFromForm(res, publisher, { files, author: me(res), message, base: latest.n, unchangedHref: `/console/kb/entries/${id}` });
      if (again) return showForm(res, id, latest.n, { draft, message, ...again.add, ...(again.preview ? { preview: cards() } : {}) }, again.status);
      return;
    }
    const report = await publisher.check(files);
    await showForm(res, id, latest.n, { draft, message, check: report, preview: cards() });
  });

  // A new entry, usually started from a question parents asked that nothing answered.
  router.get('/kb/new', (req, res) => {
    const question = typeof req.query.question === 'string' ? req.query.question.slice(0, 300) : '';
    res
      .type('html')
      .send(newEntryPage({ input: { examples: question ? [question] : [], checked: japanDate(now()) }, errors: [], staff: pageStaff(res) }).value);
  });

  router.post('/kb/new', async (req, res) => {
    const input: NewEntryInput = {
      id: formField(req, 'id').trim(),
      title: formField(req, 'title').trim(),
      summary: formField(req, 'summary').trim(),
      topic: formField(req, 'topic'),
      need: formField(req, 'need'),
      overview: formField(req, 'overview').trim(),
      sourceUrl: formField(req, 'sourceUrl').trim(),
      sourceTitle: formField(req, 'sourceTitle').trim(),
      checked: formField(req, 'checked').trim(),
      examples: [
        ...new Set(
          formField(req, 'examples')
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean),
        ),
      ].slice(0, 200),
    };
    const message = publishNote(req);
    const latest = await currentVersion();
    // Staff do not name files: a new entry is numbered unless an id was sent (imports, scripts).
    if (!input.id)
      input.id = nextId(
        'service',
        Object.keys(latest.files).flatMap((f) => /^knowledge\/([a-z][a-z0-9-]*)\.yaml$/.exec(f)?.[1] ?? []),
      );
    const errors = [
      ...(!ENTRY_ID.test(input.id) ? ['項目の記号は、英小文字で始まる英小文字・数字・ハイフンにしてください。'] : []),
      ...(latest.files[`knowledge/${input.id}.yaml`] !== undefined ? ['その記号の項目はすでにあります。'] : []),
      ...(!input.title || input.title.length > 20 ? ['タイトルは1〜20文字にしてください。'] : []),
      ...(!input.summary || input.summary.length > 120 ? ['ひとことの説明は1〜120文字にしてください。'] : []),
      ...(!input.overview ? ['概要の答えを書いてください。'] : []),
      ...(!/^https?:\/\/\S+$/.test(input.sourceUrl) || !input.sourceTitle ? ['出典のURL（http(s)://…）と名前を書いてください。'] : []),
      ...(!/^\d{4}-\d{2}-\d{2}$/.test(input.checked) ? ['出典を確認した日を選んでください。'] : []),
      ...(input.examples.length < NEW_ENTRY_MIN_EXAMPLES
        ? [`質問の例を${NEW_ENTRY_MIN_EXAMPLES}個以上書いてください（いま${input.examples.length}個）。`]
        : []),
      ...(!message ? ['変更のメモを書いてください。'] : []),
    ];
    if (errors.length)
      return res
        .status(400)
        .type('html')
        .send(newEntryPage({ input, errors, staff: pageStaff(res) }).value);
    const result = await publisher.publish(newEntryFiles(latest.files, input), me(res), message, { base: latest.n });
    if (result.status === 'published') return res.redirect(303, `/console/kb/entries/${input.id}?m=published`);
    if (result.status === 'refused')
      return res
        .status(422)
        .type('html')
        .send(newEntryPage({ input, errors: [], report: result.report, staff: pageStaff(res) }).value);
    return res
      .status(409)
      .type('html')
      .send(
        newEntryPage({ input, errors: ['確認している間に別の版が公開されました。もう一度「確認して公開する」を押してください。'], staff: pageStaff(res) })
          .value,
      );
  });

  router.get('/kb/versions', async (req, res) => {
    const [versions, current] = await Promise.all([store.list(100), store.current()]);
    const n = notice(req);
    res.type('html').send(
      versionListPage({
        versions,
        current,
        serving: live.version(),
        staffName: await staffNames(),
        csrfToken: signedIn(res).session.csrfToken,
        staff: pageStaff(res),
        ...(n ? { notice: n } : {}),
      }).value,
    );
  });

  const versionNotFound = (res: Response) =>
    res
      .status(404)
      .type('html')
      .send(messagePage('版が見つかりません', 'この版はありません。', { href: '/console/kb/versions', label: '公開の履歴へ戻る' }, pageStaff(res)).value);

  router.get('/kb/versions/:n', async (req, res) => {
    const n = Number(req.params.n);
    const v = Number.isSafeInteger(n) && n > 0 ? await store.get(n) : undefined;
    if (!v) return versionNotFound(res);
    const prev = n > 1 ? await store.get(n - 1) : undefined;
    const { files: _files, ...meta } = v;
    const note = notice(req);
    res.type('html').send(
      versionDiffPage({
        meta,
        previous: prev?.n,
        // The first version has nothing before it: listing every file as added would only be noise.
        diff: prev ? diffKnowledge(prev.files, v.files) : { changes: [], added: [], removed: [], changed: [] },
        staffName: await staffNames(),
        staff: pageStaff(res),
        ...(note ? { notice: note } : {}),
      }).value,
    );
  });

  router.post('/kb/versions/:n/rollback', async (req, res) => {
    const n = Number(req.params.n);
    if (!Number.isSafeInteger(n) || n < 1) return versionNotFound(res);
    const result = await publisher.rollback(n, me(res));
    if (result.status === 'missing') return versionNotFound(res);
    if (result.status === 'published') return res.redirect(303, `/console/kb/versions?m=rolled-back`);
    if (result.status === 'unchanged') return res.redirect(303, `/console/kb/versions?m=unchanged`);
    const text =
      result.status === 'stale'
        ? '確認している間に別の版が公開されました。もう一度お試しください。'
        : `版${n}は、いまのボットでは使えない内容を含むため戻せません（${result.report.problems.length}件の問題）。`;
    res
      .status(409)
      .type('html')
      .send(messagePage('戻せませんでした', text, { href: '/console/kb/versions', label: '公開の履歴へ戻る' }, pageStaff(res)).value);
  });

  router.get('/kb/freshness', async (req, res) => {
    const today = japanDate(now());
    const kb = live.core().kb;
    let watched;
    if (deps.sourceWatch) {
      const { store: watch, enabled } = deps.sourceWatch;
      const [records, lastRunAt, name] = await Promise.all([watch.all(), watch.lastRunAt(), staffNames()]);
      const rows: WatchedRow[] = citedSources(kb).flatMap((source) => {
        const record = records.get(source.url);
        return record && needsLook(record) ? [{ source, record, ...(record.confirmedBy ? { confirmedByName: name(record.confirmedBy) } : {}) }] : [];
      });
      rows.sort((a, b) => a.source.checked.localeCompare(b.source.checked) || a.record.at - b.record.at || a.source.url.localeCompare(b.source.url));
      watched = watchedSection({ rows, lastRunAt, enabled, csrfToken: signedIn(res).session.csrfToken });
    }
    const n = notice(req);
    res.type('html').send(
      freshnessPage({
        entries: staleEntries(kb, today),
        today,
        staff: pageStaff(res),
        translations: setAsideRows(kb, (await currentVersion()).files),
        ...(watched ? { watched } : {}),
        ...(n ? { notice: n } : {}),
      }).value,
    );
  });

  // 「確認した（内容は今も正しい）」: the 確認日 lives in the knowledge base (each source's `checked`, shown on cards as
  // 最終確認), so it is changed there and published like any edit — history, who and when included — and the watch
  // store notes the confirmation so the page leaves the list until it changes again.
  router.post('/kb/freshness/sources', async (req, res) => {
    const url = formField(req, 'url');
    const back = { href: '/console/kb/freshness', label: '確認が必要な情報へ戻る' };
    const latest = await currentVersion();
    const kb = kbOf(latest);
    const source = kb && citedSources(kb).find((s) => s.url === url);
    if (!deps.sourceWatch || !source)
      return res
        .status(404)
        .type('html')
        .send(messagePage('出典が見つかりません', 'この出典は、いまの知識ベースにはありません。', back, pageStaff(res)).value);
    const { files, changed } = markSourceChecked(latest.files, url, japanDate(now()));
    if (changed.length) {
      const result = await publisher.publish(files, me(res), `出典を確認（内容は今も正しい）: ${source.title}`.slice(0, 200), { base: latest.n });
      if (result.status === 'stale' || result.status === 'refused') {
        const text =
          result.status === 'stale'
            ? '確認している間に別の版が公開されました。もう一度「確認した」を押してください。'
            : `確認日を変えた版は公開できませんでした（${result.report.problems.length}件の問題）。項目の編集から直してください。`;
        return res
          .status(409)
          .type('html')
          .send(messagePage('記録できませんでした', text, back, pageStaff(res)).value);
      }
    }
    await deps.sourceWatch.store.confirm(url, me(res), now());
    deps.logger.info({ console: 'source-confirmed', staff: me(res), files: changed.length }, 'console action');
    res.redirect(303, '/console/kb/freshness?m=confirmed');
  });

  router.get('/kb/csv', (req, res) => {
    const n = notice(req);
    res
      .type('html')
      .send(csvPage({ version: live.version(), csrfToken: signedIn(res).session.csrfToken, staff: pageStaff(res), ...(n ? { notice: n } : {}) }).value);
  });

  // Two sheets: the answers (one row per entry × facet) and the facility directory (one row per facility).
  for (const [path, name, sheet] of [
    ['/kb/csv/export', 'kb', (kb: KnowledgeBase) => encodeCsv(COLUMNS, rowsFromKnowledge(kb))],
    ['/kb/csv/facilities/export', 'facilities', (kb: KnowledgeBase) => encodeCsv(FACILITY_COLUMNS, rowsFromFacilities(kb))],
  ] as const)
    router.get(path, async (_req, res) => {
      const v = await currentVersion();
      const kb = kbOf(v);
      if (!kb) throw new Error(`knowledge-base version ${v.n} does not load`);
      deps.logger.info({ console: 'kb-csv-export', sheet: name, staff: me(res), version: v.n }, 'console action');
      res.type('text/csv; charset=utf-8').set('content-disposition', `attachment; filename="kosodate-${name}-v${v.n}.csv"`).send(sheet(kb));
    });

  router.post('/kb/csv/import', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const file = body.file as UploadedFile | undefined;
    const show = (outcome: CsvImportOutcome, status: number) =>
      res
        .status(status)
        .type('html')
        .send(csvPage({ version: live.version(), csrfToken: signedIn(res).session.csrfToken, staff: pageStaff(res), outcome }).value);
    if (!file || typeof file !== 'object' || !Buffer.isBuffer(file.bytes) || !file.bytes.length) return show({ error: 'CSVファイルを選んでください。' }, 400);
    const v = await currentVersion();
    const kb = kbOf(v);
    if (!kb) throw new Error(`knowledge-base version ${v.n} does not load`);
    const { text, encoding } = decodeCsv(file.bytes);
    let sheet;
    try {
      sheet = parseCsv(text);
    } catch (e) {
      return show({ encoding, error: (e as Error).message }, 400);
    }
    const applied = applySheet(v.files, kb, sheet.header, sheet.rows);
    if (!applied.files) return show({ encoding, rowErrors: applied.errors }, 400);
    const message =
      (typeof body.message === 'string' ? body.message : '').replace(/\s+/g, ' ').trim().slice(0, 200) ||
      `表計算ファイル（${file.name.slice(0, 60)}）から取り込み`;
    const result: PublishResult = await publisher.publish(applied.files, me(res), message, { base: v.n });
    if (result.status === 'published') return res.redirect(303, `/console/kb/versions/${result.version.n}?m=published`);
    if (result.status === 'unchanged') return res.redirect(303, '/console/kb/csv?m=unchanged');
    if (result.status === 'stale') return show({ error: '確認している間に別の版が公開されました。もう一度書き出してから直してください。' }, 409);
    show({ encoding, problems: problemRows(result.report.problems, applied.rowOf), ...(result.report.floor ? { floor: result.report.floor } : {}) }, 422);
  });

  return router;
}
