import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, SECRET, STAFF, startStaffedInstance, type Instance } from '../../support/console.js';
import { REPLY, type LineStub } from '../../support/line-stub.js';
import { newUserId, sendEvents, textEvent } from '../../support/webhook-client.js';
import { visibleText } from '../../support/visible-text.js';
import { copyLeaves } from '../../../src/core/knowledge/languages/check.js';

let stub: LineStub;
let app: Instance;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ stub, app, close } = await startStaffedInstance());
});
afterAll(() => close());

/**
 * Words the console may show in Latin letters: names of things staff know by them, keys on the keyboard, and the
 * words Excel itself uses when saving a CSV file (the spreadsheet page tells staff which to choose).
 */
const ALLOWED_LATIN = new Set(['LINE', 'TEL', 'FAX', 'URL', 'CSV', 'Excel', 'Enter', 'Ctrl', 'Esc', 'Shift', 'Tab', 'UTF-', 'BOM', 'Shift_JIS', 'ID']);

describe('the console speaks staff language', () => {
  it('shows no file paths, internal ids or English on any page, only the services’ Japanese names', async () => {
    const userId = newUserId();
    const before = stub.callsTo(REPLY).length;
    await sendEvents(app.url, [textEvent('病児保育について教えて', { userId }), textEvent('担当者と話したい', { userId })], SECRET);
    await stub.waitForCalls(before + 2, { path: REPLY });
    const c = new ConsoleClient(app.url);
    await c.signIn(STAFF.username, STAFF.password);
    const queue = await c.get('/console/');
    const handoff = /href="(\/console\/handoffs\/[^"]+)"/.exec(queue.text)?.[1];
    expect(handoff).toBeDefined();
    const kb = app.knowledge.live.core().kb;
    // Pages made only of the console's own words: no Latin script beyond the allowed words.
    const chromeOnly = [
      '/console/',
      handoff!,
      '/console/templates',
      '/console/insights/unanswered',
      '/console/insights/figures',
      '/console/kb/versions',
      '/console/kb/versions/1',
      '/console/kb/freshness',
      '/console/kb/reports',
      '/console/kb/csv',
      // A translation's form: its words are in the boxes, the Japanese beside them; the page itself names no code.
      '/console/kb/entries/sick-child-care/translations/en',
      '/console/kb/entries/sick-child-care/translations/vi',
      '/console/kb/entries/sick-child-care/translations/zh',
      '/console/kb/entries/sick-child-care/translations/ja-easy',
    ];
    // Pages that also show knowledge (facility names, source titles, a number's note) in whatever script it is written.
    const withData = [
      '/console/kb',
      '/console/kb/entries/sick-child-care',
      '/console/kb/new',
      '/console/kb/contacts',
      '/console/kb/contacts/kosodate-shien',
      '/console/kb/contacts/new',
      '/console/kb/facilities',
      '/console/kb/facilities/shinkawa-kodomoen',
      '/console/kb/facilities/new',
      '/console/kb/facilities/shinkawa-kodomoen/translations/en',
      '/console/kb/facilities/shinkawa-kodomoen/translations/ja-easy',
      '/console/kb/contacts/kosodate-shien/translations/vi',
      '/console/kb/contacts/kosodate-shien/translations/zh',
      '/console/kb/copy',
      '/console/kb/copy/en',
      '/console/kb/copy/ja-easy',
      '/console/kb/emergency',
      '/console/kb/emergency/en',
      '/console/kb/emergency/vi',
    ];
    const ids = new Set([
      ...kb.entries.keys(),
      ...kb.contacts.keys(),
      ...kb.facilities.facilities.map((f) => f.id),
      ...kb.facilities.sources.map((s) => s.id),
      ...[...kb.entries.values()].flatMap((e) => e.sources.map((s) => s.id)),
    ]);
    const japaneseSentences = copyLeaves(kb.languages.get('ja')!.copy)
      .map(([, s]) => s.replace(/\s+/g, ' ').trim())
      .sort((a, b) => b.length - a.length);
    const found: Record<string, string[]> = {};
    for (const p of [...chromeOnly, ...withData]) {
      const { res, text } = await c.get(p);
      expect(res.status, p).toBe(200);
      // On the fixed sentences' forms the Japanese sentences are the data being translated: their {placeholders} are
      // to be copied as they are, and a few are in English on purpose; the page's own words are checked.
      const t = /^\/console\/kb\/(copy|emergency)\//.test(p)
        ? japaneseSentences.reduce((acc, s) => acc.split(s).join(' '), visibleText(text))
        : visibleText(text);
      const bad = [
        ...(t.match(/\b(?:knowledge|intents|languages)\/\S*|\S+\.(?:ya?ml|tsv|ts|js)\b/g) ?? []),
        ...[...ids].filter((id) => new RegExp(`(^|[^A-Za-z0-9-])${id}($|[^A-Za-z0-9-])`).test(t)),
        ...(chromeOnly.includes(p) ? [...new Set(t.match(/[A-Za-z][A-Za-z_-]+/g) ?? [])].filter((w) => !ALLOWED_LATIN.has(w)) : []),
      ];
      if (bad.length) found[p] = bad;
    }
    expect(found).toEqual({});
  }, 60_000);
});
