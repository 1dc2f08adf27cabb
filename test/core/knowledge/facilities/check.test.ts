import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { readKnowledgeFolders } from '../../../../src/core/knowledge/files.js';
import { defaultDirs, loadKnowledgeBase } from '../../../../src/core/knowledge/load.js';
import { FACILITIES_FILE } from '../../../../src/core/knowledge/facilities/schema.js';
import { KnowledgePublisher } from '../../../../src/app/publishing/publisher.js';
import { MemoryKnowledgeStore } from '../../../../src/app/publishing/memory-knowledge-store.js';
import { sharedTokenizerLoad } from '../../../../src/core/build-core.js';
import { createLogger } from '../../../../src/app/log.js';

const shipped = readKnowledgeFolders(defaultDirs(path.resolve(import.meta.dirname, '../../../..')));
const FACTS = path.resolve(import.meta.dirname, '../../../../../shared/knowledge-facts.md');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests change arbitrary fields of the parsed YAML
function withFacilities(change: (doc: any) => void) {
  const doc = YAML.parse(shipped[FACILITIES_FILE]!);
  change(doc);
  return { ...shipped, [FACILITIES_FILE]: YAML.stringify(doc) };
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const facility = (doc: any, id: string) => doc.facilities.find((f: { id: string }) => f.id === id);
const problemsOf = (files: Record<string, string>) => loadKnowledgeBase({ files }).problems.filter((p) => p.file === FACILITIES_FILE);
const indexOf = (id: string) => (YAML.parse(shipped[FACILITIES_FILE]!) as { facilities: { id: string }[] }).facilities.findIndex((f) => f.id === id);

describe('the facility file in the knowledge base', () => {
  it('loads with every facility, area and source, and no problem', () => {
    const { kb, problems } = loadKnowledgeBase({ files: shipped });
    expect(problems).toEqual([]);
    expect(kb!.facilities.facilities.length).toBeGreaterThanOrEqual(40);
    // Islands are areas of their own.
    expect(kb!.facilities.areas.filter((a) => a.island).map((a) => a.name)).toEqual(expect.arrayContaining(['北木島', '白石島', '真鍋島', '六島', '高島']));
  });

  // The facts sheet lives beside the repository (../shared), as on developer machines and in CI.
  it.skipIf(!existsSync(FACTS))('holds only phone numbers, addresses and source URLs that are in the facts sheet (skipped: no ../shared/knowledge-facts.md)', async () => {
    const facts = readFileSync(FACTS, 'utf8');
    const { kb } = loadKnowledgeBase({ files: shipped });
    const digits = (s: string) => s.replace(/\D/g, '');
    const factDigits = digits(facts.replace(/https?:\/\/\S+/g, ' '));
    for (const f of kb!.facilities.facilities) {
      if (f.tel) expect(factDigits, `${f.id} tel`).toContain(digits(f.tel));
      // Street numbers as the sheet writes them (笠岡市金浦737-1 → 737-1).
      const number = f.address?.match(/\d+(-\d+)*$/)?.[0];
      if (number) expect(facts, `${f.id} address`).toContain(number);
    }
    for (const s of kb!.facilities.sources) expect(facts, s.id).toContain(s.url);
  });

  it('refuses a facility without a source, naming the facility and field', () => {
    const problems = problemsOf(withFacilities((d) => (facility(d, 'shinkawa-kodomoen').sources = [])));
    expect(problems).toContainEqual({ file: FACILITIES_FILE, field: `facilities.${indexOf('shinkawa-kodomoen')}.sources`, message: '出典（sources）が必要です' });
  });

  it('refuses a source id the file does not define', () => {
    const problems = problemsOf(withFacilities((d) => (facility(d, 'shinkawa-kodomoen').sources = ['nowhere'])));
    expect(problems).toContainEqual(expect.objectContaining({ field: `facilities.${indexOf('shinkawa-kodomoen')}.sources.0`, message: expect.stringContaining('nowhere') }));
  });

  it('refuses an unknown kind', () => {
    const problems = problemsOf(withFacilities((d) => (facility(d, 'tako-koen').kind = 'zoo')));
    expect(problems).toContainEqual(expect.objectContaining({ field: `facilities.${indexOf('tako-koen')}.kind`, message: expect.stringContaining('次のどれかにしてください') }));
  });

  it('refuses a phone number that is not in the contacts ledger, also inside a note', () => {
    const problems = problemsOf(
      withFacilities((d) => {
        facility(d, 'shinkawa-kodomoen').tel = '0865-66-0000';
        facility(d, 'tako-koen').note = '問い合わせは 0865-00-1234 へ';
      }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ field: `facilities.${indexOf('shinkawa-kodomoen')}.tel`, message: expect.stringContaining('0865-66-0000') }));
    expect(problems).toContainEqual(expect.objectContaining({ field: `facilities.${indexOf('tako-koen')}.note`, message: expect.stringContaining('0865-00-1234') }));
  });

  it('refuses an area not in the area list, a topic outside the catalog, an unreadable age and times in the wrong order', () => {
    const at = indexOf('shinkawa-kodomoen');
    const problems = problemsOf(
      withFacilities((d) => {
        const f = facility(d, 'shinkawa-kodomoen');
        f.area = '火星';
        f.topics = ['moon-base'];
        f.ages.from = 'そのうち';
        f.hours.opens = '20:00';
      }),
    );
    expect(problems.map((p) => p.field)).toEqual(expect.arrayContaining([`facilities.${at}.area`, `facilities.${at}.topics.0`, `facilities.${at}.ages.from`, `facilities.${at}.hours`]));
  });

  it('refuses a reading in kanji and a malformed time', () => {
    const problems = problemsOf(
      withFacilities((d) => {
        facility(d, 'tako-koen').reading = '笠岡運動公園';
        facility(d, 'aozora-kodomoen').hours.closes = '6時半';
      }),
    );
    expect(problems.map((p) => p.field)).toEqual(expect.arrayContaining([`facilities.${indexOf('tako-koen')}.reading`, `facilities.${indexOf('aozora-kodomoen')}.hours.closes`]));
  });

  it('refuses an id used twice', () => {
    const problems = problemsOf(withFacilities((d) => d.facilities.push({ ...facility(d, 'maya-kodomoen'), name: '別の園' })));
    const added = (YAML.parse(shipped[FACILITIES_FILE]!) as { facilities: unknown[] }).facilities.length;
    expect(problems).toContainEqual(expect.objectContaining({ field: `facilities.${added}.id`, message: expect.stringContaining('maya-kodomoen') }));
  });

  it('is optional: a version published before the directory existed loads with none', () => {
    // Such a version has no translations either (they came later, and translate the facilities too).
    const older = Object.fromEntries(Object.entries(shipped).filter(([p]) => p !== FACILITIES_FILE && !p.startsWith('languages/')));
    const { kb, problems } = loadKnowledgeBase({ files: older });
    expect(problems).toEqual([]);
    expect(kb!.facilities.facilities).toEqual([]);
  });

  it('is part of what the publish pipeline checks: an invalid facility never goes live', async () => {
    const store = new MemoryKnowledgeStore();
    const publisher = new KnowledgePublisher({ store, tokenizer: sharedTokenizerLoad, evalFile: '/nonexistent.jsonl', logger: createLogger({ level: 'silent' }) });
    const result = await publisher.publish(withFacilities((d) => (facility(d, 'kunisada-josanin').sources = [])), 'test', '出典を消す');
    expect(result.status).toBe('refused');
    if (result.status === 'refused') expect(result.report.problems).toContainEqual(expect.objectContaining({ file: FACILITIES_FILE, field: `facilities.${indexOf('kunisada-josanin')}.sources` }));
    expect(await store.current()).toBeUndefined();
  }, 60_000);
});

describe('npm run kb:check', () => {
  it('refuses a facility without a source, printing the file and field, and exits 1', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { spawnSync } = await import('node:child_process');
    const { writeKnowledgeFolders } = await import('../../../../src/core/knowledge/files.js');
    const root = mkdtempSync(path.join(tmpdir(), 'kc-facilities-'));
    try {
      writeKnowledgeFolders(root, withFacilities((d) => (facility(d, 'tako-koen').sources = [])));
      const repo = path.resolve(import.meta.dirname, '../../../..');
      const run = spawnSync(path.join(repo, 'node_modules/.bin/tsx'), [path.join(repo, 'scripts/kb-check.ts')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`knowledge/_facilities.yaml  facilities.${indexOf('tako-koen')}.sources: 出典（sources）が必要です`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
