import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import type { DictionaryArrays } from '../../src/nlp/dictionary/arrays.js';
import type { UnknownDictionary, ViterbiLattice } from '../../src/nlp/dictionary/kuromoji-internals.js';
import { latticeBuilder } from '../../src/nlp/dictionary/lattice.js';
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
    // Only punctuation and symbols, mixed scripts, digits, long runs of one unknown class, astral characters.
    '!!!???...', '。', '、', '。。。', '・・・ーー〜〜', '「」『』（）【】', '\t\n 　\r',
    'Ｗｉ－Ｆｉでαβγとабвとアイウ', '0120-123-456 ２０２４年１２月３１日 3.14 ⅢⅣ ①②',
    'ヴ'.repeat(300), 'ﾊﾟﾊﾟｲﾔ'.repeat(50), 'ＡＢＣ'.repeat(200), 'x'.repeat(1000), '😀'.repeat(50), '𠮷𠮷野家𠮷', 'か\u3099ぱ\u309a',
    '\uDC00', '\uDC00\uDC00あ', 'あ\uDFFF😀\uDC00',
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

/** Pseudo-random strings (fixed seed) from pools that cover the character classes and their borders. */
function fuzzTexts(count: number): string[] {
  const pools = [
    'あいうえおかがきのはをにへでとしたてっゃゅょんー', 'アイウエオカガキヴァィゥェォッャュョンー', 'ｱｲｳｴｵｶﾞｷﾟｯｬｰ', '子育保園病児健診予約市役所笠岡日月年歳',
    'abcXYZ019 ', 'ａｂｃＡＢＣ０１９', '、。！？「」・〜…()-_/:;@#%&*+=', 'αβγδабвг', '\u3000\t', '一二三十百千万',
  ];
  const astral = ['😀', '👨\u200d👩', '𠮷', '𩸽', '\uDC00', '\u3099', '\uFE0F'];
  let seed = 12345;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let text = '';
    for (let len = 1 + rand(30); len > 0; len--) {
      if (rand(12) === 0) text += astral[rand(astral.length)];
      else {
        const pool = pools[rand(pools.length)]!;
        // Runs of one pool, so that words and unknown-word groups form.
        for (let run = 1 + rand(4); run > 0; run--) text += pool[rand(pool.length)];
      }
    }
    out.push(text);
  }
  return out;
}

interface KuromojiTokenizer {
  viterbi_builder: { build(sentence: string): ViterbiLattice; trie: { bc: { getBaseBuffer(): Int32Array; getCheckBuffer(): Int32Array } } };
  unknown_dictionary: UnknownDictionary;
}
const NODE_FIELDS = ['name', 'cost', 'start_pos', 'length', 'left_id', 'right_id', 'prev', 'surface_form', 'shortest_cost', 'type'] as const;

/** Where two lattices differ (undefined if they do not): ends, node order, every field kuromoji's searcher reads. */
function latticeDifference(x: ViterbiLattice, y: ViterbiLattice): string | undefined {
  if (x.eos_pos !== y.eos_pos) return `eos_pos ${x.eos_pos} vs ${y.eos_pos}`;
  if (x.nodes_end_at.length !== y.nodes_end_at.length) return `${x.nodes_end_at.length} vs ${y.nodes_end_at.length} end positions`;
  for (let end = 0; end < x.nodes_end_at.length; end++) {
    const a = x.nodes_end_at[end];
    const b = y.nodes_end_at[end];
    if (!a || !b) {
      if (a !== b) return `end ${end}: ${a?.length} vs ${b?.length} nodes`;
      continue;
    }
    if (a.length !== b.length) return `end ${end}: ${a.length} vs ${b.length} nodes`;
    for (let i = 0; i < a.length; i++) {
      if (Object.keys(a[i]!).join() !== Object.keys(b[i]!).join()) return `end ${end} node ${i}: fields`;
      for (const f of NODE_FIELDS) if (!Object.is(a[i]![f], b[i]![f])) return `end ${end} node ${i} ${f}: ${String(a[i]![f])} vs ${String(b[i]![f])}`;
    }
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

  it('builds the same lattices as the stock builder, without falling back to it', async () => {
    const { arrays } = await loadDictionaryArrays(defaultDictPath(), { cacheRoot });
    const ours = (await loadTokenizer(defaultDictPath(), { cacheRoot })).tokenizer as unknown as KuromojiTokenizer;
    const { trie } = ours.viterbi_builder;
    const build = latticeBuilder({ ...arrays, base: trie.bc.getBaseBuffer(), check: trie.bc.getCheckBuffer() }, ours.unknown_dictionary);
    const stockBuilder = (stock as unknown as KuromojiTokenizer).viterbi_builder;
    const fuzz = fuzzTexts(3000);
    const out: { text: string; at: string }[] = [];
    for (const text of [...texts, ...fuzz]) {
      // As Tokenizer.tokenize hands them over: split after 、 and 。
      for (const sentence of text.split(/(?<=[、。])/)) {
        if (!sentence) continue;
        const lattice = build(sentence);
        const at = lattice ? latticeDifference(lattice, stockBuilder.build(sentence)) : 'fell back to the stock builder';
        if (at) out.push({ text: sentence, at });
      }
    }
    expect(out).toEqual([]);
    expect(differences(stock, ours as unknown as Tokenizer, fuzz)).toEqual([]);
  });

  it('fails like the stock builder on a high surrogate without its pair', async () => {
    const ours = (await loadTokenizer(defaultDictPath(), { cacheRoot })).tokenizer;
    for (const text of ['\uD800', '保育\uD800園', 'あ\uD83D', '\uD800\uD800a', '😀\uD83D😀']) {
      expect(() => stock.tokenize(text), text).toThrow(TypeError);
      expect(() => ours.tokenize(text), text).toThrow(TypeError);
    }
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
