import type { Response } from 'express';
import { describe, expect, it } from 'vitest';
import type { KnowledgePublisher, PublishResult } from '../../../src/app/publishing/publisher.js';
import { publishFromForm } from '../../../src/adapters/console/kb-route-kit.js';

/** A publisher that answers with one result, and the redirects a response was given. */
function rig(result: PublishResult) {
  const calls: unknown[][] = [];
  const redirects: string[] = [];
  const publisher: Pick<KnowledgePublisher, 'publish'> = {
    publish: async (...args) => {
      calls.push(args);
      return result;
    },
  };
  const res = { redirect: (_status: number, to: string) => void redirects.push(to) } as unknown as Response;
  const edit = { files: { 'a.yaml': 'x' }, author: 'tanaka', message: '料金を直した', base: 7, unchangedHref: '/console/kb/entries/a' };
  return { calls, redirects, publisher, res, edit };
}
const report = { ok: false, problems: [], setAside: [] } as unknown as Extract<PublishResult, { status: 'refused' }>['report'];

describe('publishFromForm: every knowledge-base form publishes the same way', () => {
  it('sends nothing without a note, and asks for one beside the preview', async () => {
    const r = rig({ status: 'unchanged', current: 7 });
    const again = await publishFromForm(r.res, r.publisher, { ...r.edit, message: '' });
    expect(r.calls).toEqual([]);
    expect(again).toMatchObject({ status: 400, preview: true, add: { formErrors: [{ field: 'message' }] } });
  });
  it('goes to the new version once published, from the version the form was made on', async () => {
    const r = rig({ status: 'published', version: { n: 8 }, report } as unknown as PublishResult);
    expect(await publishFromForm(r.res, r.publisher, r.edit)).toBeUndefined();
    expect(r.calls[0]).toEqual([r.edit.files, 'tanaka', '料金を直した', { base: 7 }]);
    expect(r.redirects).toEqual(['/console/kb/versions/8?m=published']);
  });
  it('goes back to the page when nothing changed', async () => {
    const r = rig({ status: 'unchanged', current: 7 });
    expect(await publishFromForm(r.res, r.publisher, r.edit)).toBeUndefined();
    expect(r.redirects).toEqual(['/console/kb/entries/a?m=unchanged']);
  });
  it('says a version was published meanwhile, without cards', async () => {
    const r = rig({ status: 'stale', current: 9 });
    const again = await publishFromForm(r.res, r.publisher, r.edit);
    expect(again).toMatchObject({ status: 409, preview: false });
    expect(JSON.stringify(again)).toContain('別の版が公開されました');
    expect(r.redirects).toEqual([]);
  });
  it('shows a refusal as the check, with the cards, and passes translations to hold', async () => {
    const r = rig({ status: 'refused', report });
    const held = () => true;
    const again = await publishFromForm(r.res, r.publisher, { ...r.edit, held });
    expect(again).toEqual({ add: { check: report }, status: 422, preview: true });
    expect(r.calls[0]![3]).toEqual({ base: 7, held });
  });
});
