import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { emptyState } from '../../../src/core/conversation/types.js';
import { getCore } from '../../support/core.js';

let core: Core;
beforeAll(async () => {
  core = await getCore();
});

/** The facilities whose own card comes first when a parent asks with `phrase(facility)`, through the whole core. */
function reachable(phrase: (f: Core['kb']['facilities']['facilities'][number]) => string) {
  return core.kb.facilities.facilities.filter((f) => {
    const turn = core.concierge.respond({ kind: 'text', text: phrase(f) }, emptyState(), Date.parse('2026-12-07T01:00:00Z'));
    return turn.replies.some((r) => r.type === 'facilities' && r.items[0]?.id === f.id);
  });
}

describe('every facility is reachable by name', () => {
  it('by its name alone, as written', () => {
    const all = core.kb.facilities.facilities;
    const found = reachable((f) => f.name);
    expect(all.filter((f) => !found.includes(f)).map((f) => f.name)).toEqual([]);
  });

  it('by its reading, in kana only', () => {
    const all = core.kb.facilities.facilities;
    const found = reachable((f) => f.reading);
    expect(all.filter((f) => !found.includes(f)).map((f) => f.name)).toEqual([]);
  });

  it('by name in a question for its phone number', () => {
    const all = core.kb.facilities.facilities;
    const found = reachable((f) => `${f.name}の電話番号を教えてください`);
    expect(all.filter((f) => !found.includes(f)).map((f) => f.name)).toEqual([]);
  });
});
