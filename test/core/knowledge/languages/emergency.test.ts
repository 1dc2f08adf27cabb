import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { readKnowledgeFolders } from '../../../../src/core/knowledge/files.js';
import { EMERGENCY_KINDS } from '../../../../src/core/knowledge/schema.js';
import { defaultDirs, loadKnowledgeBase } from '../../../../src/core/knowledge/load.js';

const files = readKnowledgeFolders(defaultDirs(path.resolve(import.meta.dirname, '../../../..')));
const emergency = () => YAML.parse(files['intents/_emergency.yaml']!);
const withEmergency = (doc: unknown) => loadKnowledgeBase({ files: { ...files, 'intents/_emergency.yaml': YAML.stringify(doc) } });

describe('emergency cards for a parent who does not speak Japanese', () => {
  it('gives every kind a foreign-caller part whose every source has its date, in every language', () => {
    const { kb, problems } = loadKnowledgeBase({ files });
    expect(problems).toEqual([]);
    for (const kind of EMERGENCY_KINDS) {
      const part = kb!.emergency.guidance[kind].foreign;
      expect(part, kind).toBeDefined();
      expect(part!.sources.length).toBeGreaterThan(0);
      for (const s of part!.sources) expect(s.asOf).toMatch(/\d{4}年|令和|平成|掲載時期不明/);
      for (const code of ['ja-easy', 'en', 'vi', 'zh']) expect(kb!.languages.get(code)!.emergency[kind]?.foreign, `${code} ${kind}`).toBeTruthy();
    }
    // Where a line is not confirmed in other languages, the card says so (the facts sheet, 外国人の保護者のために).
    expect(kb!.emergency.guidance.medical.foreign!.text).toMatch(/#8000.*確認できていません/);
    expect(kb!.emergency.guidance.violence.foreign!.text).toMatch(/189が外国語で相談できるかは、確認できていません/);
    expect(kb!.emergency.guidance.suicide.foreign!.text).toMatch(/「2」を押す.*2015年度の情報で、今は変わっているかもしれません/s);
  });

  it('refuses a foreign-caller part without sources, or naming a number not in the contacts ledger', () => {
    const noSources = emergency();
    noSources.guidance.medical.foreign.sources = [];
    expect(withEmergency(noSources).problems).toEqual([expect.objectContaining({ field: 'guidance.medical.foreign.sources' })]);

    const undated = emergency();
    delete undated.guidance.medical.foreign.sources[0].asOf;
    expect(withEmergency(undated).problems).toEqual([expect.objectContaining({ field: 'guidance.medical.foreign.sources.0.asOf' })]);

    const unknownNumber = emergency();
    unknownNumber.guidance.suicide.foreign.text += '\n岩手・宮城・福島からは 0120-279-226 です。';
    expect(withEmergency(unknownNumber).problems).toEqual([
      expect.objectContaining({ field: 'guidance.suicide.foreign.text', message: expect.stringContaining('0120-279-226') }),
    ]);

    // A number added to the Japanese goes live at once; every translation lacks it, so each falls back to the
    // Japanese card (with the new number) until it is translated again.
    const changed = emergency();
    changed.guidance.suicide.foreign.text += '\n夜は 086-272-9939 にも相談できます。';
    const { kb, problems } = withEmergency(changed);
    expect(problems).toEqual([]);
    for (const code of ['en', 'ja-easy', 'vi', 'zh']) {
      const pack = kb!.languages.get(code)!;
      expect(pack.stale).toEqual([
        expect.objectContaining({ file: `languages/${code}/_emergency.yaml`, field: 'guidance.suicide.foreign', message: expect.stringContaining('「086-272-9939」') }),
      ]);
      expect(pack.emergency.suicide).toBeUndefined();
      expect(pack.emergency.medical).toBeDefined();
    }

    const unknownId = emergency();
    unknownId.guidance.harm.foreign.phones = ['nobody'];
    expect(withEmergency(unknownId).problems).toEqual([expect.objectContaining({ field: 'guidance.harm.foreign.phones' })]);
  });
});
