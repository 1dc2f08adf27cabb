import YAML from 'yaml';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCheckedCore, sharedTokenizerLoad } from '../../src/core/build-core.js';
import { readKnowledgeFolders } from '../../src/core/knowledge/files.js';
import { defaultDirs } from '../../src/core/knowledge/load.js';
import { FileModelCache } from '../../src/core/nlp/learned/model-cache.js';

afterEach(() => vi.restoreAllMocks());

describe('the conflict check, remembered when it passed', () => {
  it('loads no reference model for a knowledge base checked before, and checks an edited one afresh', { timeout: 60_000 }, async () => {
    const { tokenizer } = await sharedTokenizerLoad();
    const files = readKnowledgeFolders(defaultDirs());
    // Checked (and so remembered) once, whatever the cache held.
    expect(buildCheckedCore({ files }, tokenizer).problems).toEqual([]);

    const loads = vi.spyOn(FileModelCache.prototype, 'get');
    const again = buildCheckedCore({ files }, tokenizer);
    expect(again.problems).toEqual([]);
    // The product's three Japanese models and two per other language; not the reference's three.
    expect(loads).toHaveBeenCalledTimes(3 + 2 * again.core!.foreign.codes.length);

    // A new example that contradicts the rest: a different key, so the check runs and finds it.
    const greeting = YAML.parse(files['intents/greeting.yaml']!) as { examples: string[] };
    greeting.examples.push('病児保育の料金はいくらですか');
    const edited = { ...files, 'intents/greeting.yaml': YAML.stringify(greeting) };
    const refused = buildCheckedCore({ files: edited }, tokenizer);
    expect(refused.core).toBeUndefined();
    expect(refused.problems).toContainEqual(
      expect.objectContaining({ file: 'intents/greeting.yaml', message: expect.stringContaining('sick-child-care に判定されます') }),
    );
    // Never remembered as passed: refused again.
    expect(buildCheckedCore({ files: edited }, tokenizer).problems).toEqual(refused.problems);
  });
});
