import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import type { DictionaryArrays } from '../../src/nlp/dictionary/arrays.js';
import { loadDictionaryArrays } from '../../src/nlp/dictionary/load.js';
import { normalizeText } from '../../src/nlp/normalize.js';
import { defaultDictPath, loadStockTokenizer, loadTokenizer, type Token, type Tokenizer } from '../../src/nlp/tokenizer.js';

// The lean loader (src/nlp/dictionary) must tokenize exactly like kuromoji's stock builder. The stock builder
// costs ~0.6 s and ~300 MB, so this file builds it once and compares everything against it.

const devSet = path.resolve(import.meta.dirname, '../../../shared/eval/dev.jsonl');

/** Every example phrase and keyword, the dev-set texts, each also as the analyzer feeds it (normalized), and odd input. */
function corpus(): string[] {
  const { kb, problems } = loadKnowledgeBase();
  if (!kb) throw new Error(`knowledge base: ${problems.length} problems`);
  const texts: string[] = [];
  for (const i of kb.intents.values()) texts.push(...i.examples, ...i.keywords);
  for (const e of kb.entries.values()) texts.push(e.title, e.summary);
  if (existsSync(devSet))
    for (const line of readFileSync(devSet, 'utf8').split('\n'))
      if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text);
  texts.push(
    '',
    ' ',
    'ﾌｧﾐｻﾎﾟで送迎を頼めますか',
    'ＬＩＮＥで１歳６か月健診の予約',
    'ほいくえんにいれたい',
    '𠮷野家の前の𩸽😀👨‍👩‍👧子ども',
    'abc DEF 123 4.5 #8000 !?',
    '、。、。',
    '保育\uDC00園の\uDC00',
    '病児保育・病後児保育・おむつ代',
    'ああああああああああああああああああああああああああああああ',
    'コンシェルジュにファミサポのことを聞きたい。'.repeat(40),
  );
  return [...new Set([...texts, ...texts.map(normalizeText)])];
}

const FIELDS = ['word_id', 'word_type', 'word_position', 'surface_form', 'pos', 'pos_detail_1', 'pos_detail_2', 'pos_detail_3', 'conjugated_type', 'conjugated_form', 'basic_form', 'reading', 'pronunciation'] as const;

/** Texts whose tokens differ in any field (or in which fields are present), with the first difference. */
function differences(a: Tokenizer, b: Tokenizer, texts: string[]) {
  const out: { text: string; at: string }[] = [];
  for (const text of texts) {
    const x = a.tokenize(text);
    const y = b.tokenize(text);
    const at = firstDifference(x, y);
    if (at) out.push({ text, at });
  }
  return out;
}

function firstDifference(x: Token[], y: Token[]): string | undefined {
  if (x.length !== y.length) return `${x.length} vs ${y.length} tokens`;
  for (let i = 0; i < x.length; i++) {
    const keysX = Object.keys(x[i]!).join();
    const keysY = Object.keys(y[i]!).join();
    if (keysX !== keysY) return `token ${i} fields ${keysX} vs ${keysY}`;
    for (const f of FIELDS) if (!Object.is(x[i]![f], y[i]![f])) return `token ${i} ${f}: ${String(x[i]![f])} vs ${String(y[i]![f])}`;
  }
  return undefined;
}

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('lean kuromoji loader', () => {
  let stock: Tokenizer;
  let texts: string[];
  let cacheRoot: string;
  beforeAll(async () => {
    stock = (await loadStockTokenizer()).tokenizer;
    texts = corpus();
    cacheRoot = mkdtempSync(path.join(tmpdir(), 'kc-dict-'));
  });
  afterAll(() => rmSync(cacheRoot, { recursive: true, force: true }));

  it('tokenizes the whole corpus exactly like the stock builder (decoded from gzip, then from its cache)', async () => {
    expect(texts.length).toBeGreaterThan(1000);
    const fromGzip = await loadTokenizer(defaultDictPath(), { cacheRoot });
    expect(fromGzip.source).toBe('gzip');
    expect(fromGzip.cacheProblem).toBeUndefined();
    expect(differences(stock, fromGzip.tokenizer, texts)).toEqual([]);

    const fromCache = await loadTokenizer(defaultDictPath(), { cacheRoot });
    expect(fromCache.source).toBe('cache');
    expect(differences(stock, fromCache.tokenizer, texts)).toEqual([]);
  });

  it('reads back from the cache exactly the arrays it decoded', async () => {
    const decoded = await loadDictionaryArrays(defaultDictPath(), { cacheRoot: false });
    const cached = await loadDictionaryArrays(defaultDictPath(), { cacheRoot });
    expect(cached.source).toBe('cache');
    for (const name of Object.keys(decoded.arrays) as (keyof DictionaryArrays)[]) {
      expect(cached.arrays[name].constructor, name).toBe(decoded.arrays[name].constructor);
      expect(bytesOf(cached.arrays[name]).equals(bytesOf(decoded.arrays[name])), name).toBe(true);
    }
  });

  it('rebuilds a damaged cache instead of failing', async () => {
    const [dir] = readdirSync(cacheRoot).filter((d) => !d.startsWith('.'));
    truncateSync(path.join(cacheRoot, dir!, 'tidPos.bin'), 100);
    const loaded = await loadTokenizer(defaultDictPath(), { cacheRoot });
    expect(loaded.source).toBe('gzip');
    expect(loaded.cacheProblem).toMatch(/damaged/);
    expect(differences(stock, loaded.tokenizer, texts.slice(0, 200))).toEqual([]);
    expect((await loadTokenizer(defaultDictPath(), { cacheRoot })).source).toBe('cache');
  });

  it('works without a cache directory it can write', async () => {
    // A regular file where the cache directory would go: nothing can be created below it.
    const blocked = path.join(cacheRoot, 'blocked');
    writeFileSync(blocked, '');
    const loaded = await loadTokenizer(defaultDictPath(), { cacheRoot: path.join(blocked, 'cache') });
    expect(loaded.source).toBe('gzip');
    expect(loaded.cacheProblem).toMatch(/not written/);
    expect(differences(stock, loaded.tokenizer, texts.slice(0, 200))).toEqual([]);
  });
});
