import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JA, japaneseCopy } from '../../../src/core/conversation/copy/ja.js';
import { conciergeLine } from '../../../src/core/knowledge/concierge-contact.js';
import { emptyState } from '../../../src/core/conversation/types.js';
import { getCore } from '../../support/core.js';

const SRC = path.resolve(import.meta.dirname, '../../../src');
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : [],
  );
/** Code without its comments: what could reach a parent. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

describe('the copy (every fixed sentence a parent reads)', () => {
  it('names the concierge with the number of the contact ledger, whatever it is', () => {
    const copy = japaneseCopy({ name: '笠岡市 子育て支援課（子育てコンシェルジュ）', tel: '0865-00-0000' });
    expect(copy.concierge).toBe('子育て支援課（子育てコンシェルジュ）TEL 0865-00-0000');
    for (const sentence of [
      copy.outOfScope,
      copy.unconfirmedDetail,
      copy.guideNoneFound,
      copy.handoffCall('x'),
      copy.distress,
      copy.eraseFailed,
      copy.englishNote,
    ])
      expect(sentence).toContain('0865-00-0000');
  });

  it('writes no phone number in code: numbers live in knowledge/_contacts.yaml', () => {
    const phone = /0\d{1,4}-\d{1,4}-\d{3,4}/;
    // The schema's message shows the format of a number to staff, not a number to call.
    const found = sourceFiles(SRC).flatMap((f) => (phone.test(code(readFileSync(f, 'utf8')).replace(/（例: [^）]*）/g, '')) ? [path.relative(SRC, f)] : []));
    expect(found).toEqual([]);
  });

  it('is what the bot says: the shipped concierge uses the ledger’s line', async () => {
    const core = await getCore();
    const contact = core.kb.contacts.get('kosodate-shien')!;
    expect(core.concierge.copy.concierge).toBe(conciergeLine(contact));
    const turn = core.concierge.respond({ kind: 'text', text: '住民票を取りたい' }, emptyState(), 0);
    expect(turn.replies.map((r) => (r.type === 'text' ? r.text : '')).join()).toContain(contact.tel);
  });

  it('keeps sentences without a contact usable anywhere', () => {
    expect(JA.handoff.closed.cancelled).toMatch(/取り消しました/);
    expect(JA.handoff.staffGreeting('田中')).toBe('子育てコンシェルジュの田中です。ここからは担当者がお返事します。');
  });
});
