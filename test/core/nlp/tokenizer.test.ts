import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../../src/core/knowledge/load.js';
import type { DictionaryArrays } from '../../../src/core/nlp/dictionary/arrays.js';
import { FeaturesOnDisk, featuresBuffer } from '../../../src/core/nlp/dictionary/features-on-disk.js';
import { FlatLattice, TYPE_NAMES } from '../../../src/core/nlp/dictionary/flat-lattice.js';
import {
  kuromojiDir,
  kuromojiInternals,
  type ConnectionCosts,
  type UnknownDictionary,
  type ViterbiLattice,
  type ViterbiNode,
} from '../../../src/core/nlp/dictionary/kuromoji-internals.js';
import { latticeBuilder } from '../../../src/core/nlp/dictionary/lattice.js';
import { loadDictionaryArrays } from '../../../src/core/nlp/dictionary/load.js';
import { installTokenizeForSentence, type TokenizerInternals } from '../../../src/core/nlp/dictionary/sentence.js';
import { ViterbiSearch } from '../../../src/core/nlp/dictionary/viterbi.js';
import { normalizeText } from '../../../src/core/nlp/normalize.js';
import { defaultDictPath, loadStockTokenizer, loadTokenizer, type Token, type Tokenizer } from '../../../src/core/nlp/tokenizer.js';

// The lean loader (src/core/nlp/dictionary) must tokenize exactly like kuromoji's stock builder. The stock builder
// costs ~0.6 s and ~300 MB, so this file builds it once and compares everything against it.

const devSet = path.resolve(import.meta.dirname, '../../../training/dev.jsonl');

/** Every example phrase and keyword, the dev-set texts, each also as the analyzer feeds it (normalized), and odd input. */
function corpus(): string[] {
  const { kb, problems } = loadKnowledgeBase();
  if (!kb) throw new Error(`knowledge base: ${problems.length} problems`);
  const texts: string[] = [];
  for (const i of kb.intents.values()) texts.push(...i.examples, ...i.keywords);
  for (const e of kb.entries.values()) texts.push(e.title, e.summary);
  if (existsSync(devSet)) for (const line of readFileSync(devSet, 'utf8').split('\n')) if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text);
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
    '!!!???...',
    '。',
    '、',
    '。。。',
    '・・・ーー〜〜',
    '「」『』（）【】',
    '\t\n 　\r',
    'Ｗｉ－Ｆｉでαβγとабвとアイウ',
    '0120-123-456 ２０２４年１２月３１日 3.14 ⅢⅣ ①②',
    'ヴ'.repeat(300),
    'ﾊﾟﾊﾟｲﾔ'.repeat(50),
    'ＡＢＣ'.repeat(200),
    'x'.repeat(1000),
    '😀'.repeat(50),
    '𠮷𠮷野家𠮷',
    'か\u3099ぱ\u309a',
    '\uDC00',
    '\uDC00\uDC00あ',
    'あ\uDFFF😀\uDC00',
  );
  return [...new Set([...texts, ...texts.map(normalizeText)])];
}

const FIELDS = [
  'word_id',
  'word_type',
  'word_position',
  'surface_form',
  'pos',
  'pos_detail_1',
  'pos_detail_2',
  'pos_detail_3',
  'conjugated_type',
  'conjugated_form',
  'basic_form',
  'reading',
  'pronunciation',
] as const;

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
    'あいうえおかがきのはをにへでとしたてっゃゅょんー',
    'アイウエオカガキヴァィゥェォッャュョンー',
    'ｱｲｳｴｵｶﾞｷﾟｯｬｰ',
    '子育保園病児健診予約市役所笠岡日月年歳',
    'abcXYZ019 ',
    'ａｂｃＡＢＣ０１９',
    '、。！？「」・〜…()-_/:;@#%&*+=',
    'αβγδабвг',
    '\u3000\t',
    '一二三十百千万',
  ];
  const astral = ['😀', '👨\u200d👩', '𠮷', '𩸽', '\uDC00', '\u3099', '\uFE0F'];
  let seed = 12345;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
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
  viterbi_searcher: { search(lattice: ViterbiLattice): ViterbiNode[]; connection_costs: ConnectionCosts };
  unknown_dictionary: UnknownDictionary;
}

/** kuromoji's own lattice and search classes, for lattices made up by the tests. */
const fromKuromoji = createRequire(path.join(kuromojiDir, 'package.json'));
const KuromojiNode = fromKuromoji('./src/viterbi/ViterbiNode.js') as new (
  name: number,
  cost: number,
  startPos: number,
  length: number,
  type: string,
  leftId: number,
  rightId: number,
  surface: string,
) => ViterbiNode;
const KuromojiLattice = fromKuromoji('./src/viterbi/ViterbiLattice.js') as new () => ViterbiLattice;
const KuromojiSearcher = fromKuromoji('./src/viterbi/ViterbiSearcher.js') as new (costs: ConnectionCosts) => { search(lattice: ViterbiLattice): ViterbiNode[] };
const KuromojiCosts = fromKuromoji('./src/dict/ConnectionCosts.js') as new (
  forward: number,
  backward: number,
) => ConnectionCosts & { put(right: number, left: number, cost: number): void };

/**
 * The flat lattice's nodes paired with the library's, end position by end position in append order (the order the
 * search visits them), or where the two lattices differ: ends, node order, every field kuromoji's searcher reads.
 */
function pairNodes(flat: FlatLattice, sentence: string, lib: ViterbiLattice): { pairs: [number, ViterbiNode][] } | { at: string } {
  if (flat.eosPos !== lib.eos_pos) return { at: `eos_pos ${flat.eosPos} vs ${lib.eos_pos}` };
  if (flat.ends !== lib.nodes_end_at.length) return { at: `${flat.ends} vs ${lib.nodes_end_at.length} end positions` };
  const pairs: [number, ViterbiNode][] = [];
  for (let end = 0; end < flat.ends; end++) {
    const nodes = lib.nodes_end_at[end] ?? [];
    let k = flat.firstAt[end]!;
    for (const [i, node] of nodes.entries()) {
      if (k < 0) return { at: `end ${end}: ${i} vs ${nodes.length} nodes` };
      const type = TYPE_NAMES[flat.type[k]!];
      // A length is not kept: a word's is implied by where it starts and ends; BOS and EOS have none.
      const length = type === 'BOS' || type === 'EOS' ? 0 : end - flat.startPos[k]! + 1;
      const ours = {
        name: flat.name[k],
        cost: flat.cost[k],
        start_pos: flat.startPos[k],
        length,
        type,
        left_id: flat.leftId[k],
        right_id: flat.rightId[k],
        surface_form: sentence.slice(flat.from[k], flat.to[k]),
      };
      for (const [f, v] of Object.entries(ours))
        if (!Object.is(v, node[f as keyof ViterbiNode])) return { at: `end ${end} node ${i} ${f}: ${String(v)} vs ${String(node[f as keyof ViterbiNode])}` };
      pairs.push([k, node]);
      k = flat.next[k]!;
    }
    if (k >= 0) return { at: `end ${end}: more nodes than ${nodes.length}` };
  }
  return { pairs };
}

/**
 * Where the flat search's result differs from kuromoji's (after ViterbiSearcher.search ran on the paired lattice):
 * every node's shortest cost and prev (so the tie-breaks and the quirks show even off the best path), then the path.
 */
function searchDifference(flat: FlatLattice, search: ViterbiSearch, pairs: [number, ViterbiNode][], libPath: ViterbiNode[]): string | undefined {
  const length = search.search(flat);
  if (length === undefined) return 'fell back to the stock searcher';
  const ours = new Map(pairs.map(([k, node]) => [node, k]));
  for (const [k, node] of pairs) {
    if (!Object.is(flat.shortest[k], node.shortest_cost)) return `node ${k} shortest cost ${flat.shortest[k]} vs ${node.shortest_cost}`;
    const prev = node.prev == null ? -1 : ours.get(node.prev);
    if (flat.prev[k] !== prev) return `node ${k} prev ${flat.prev[k]} vs ${prev}`;
  }
  const path = Array.from(search.path.subarray(0, length));
  const expected = libPath.map((node) => ours.get(node));
  return path.join() === expected.join() ? undefined : `path ${path.join()} vs ${expected.join()}`;
}

/** Sentences as Tokenizer.tokenize hands them over: split after 、 and 。 */
const sentencesOf = (text: string) => text.split(/(?<=[、。])/).filter(Boolean);

/** Odd input for the search: lengths past the sentence's end (grouped surrogate pairs), long runs, one sentence of 2,000 characters. */
function edgeTexts(texts: string[]): string[] {
  const long = texts.join('').replace(/[、。]/g, '');
  return [
    '',
    '😀',
    '😀😀',
    '😀😀abc',
    '😀😀abcde',
    '😀😀😀ab',
    '𠮷'.repeat(20) + 'abc',
    '😀'.repeat(5) + 'ｱｲｳｴｵ' + '😀'.repeat(3) + '子育て',
    '\uDC00abc',
    'a\uDC00\uDC00b',
    '\uDC00😀\uDC00',
    '😀\u3099\uFE0F👨\u200d👩\u200d👧',
    'The quick brown fox jumps over the lazy dog 0123456789',
    '1234567890'.repeat(30),
    '3.14159 2024/12/31 10:30 #8000',
    'ｱ'.repeat(500),
    'ア'.repeat(700),
    'ＡＢＣ'.repeat(700),
    '?!'.repeat(400),
    '😀'.repeat(600),
    long.slice(0, 2000),
    long.slice(2000, 4000) || long.slice(0, 2000),
    [...long].reverse().join('').slice(0, 2000),
  ];
}

/** Random lattices over a small random cost matrix, for the cases dictionary text rarely makes: ties, gaps, dead ends. */
function randomLattices(count: number): { flat: FlatLattice; lib: ViterbiLattice; costs: ConnectionCosts }[] {
  let seed = 777;
  // An LCG's high bits: its low bits cycle too soon to make varied lattices.
  const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % n;
  const out = [];
  for (let t = 0; t < count; t++) {
    const ids = 1 + rand(4);
    const costs = new KuromojiCosts(ids, ids);
    for (let r = 0; r < ids; r++) for (let l = 0; l < ids; l++) costs.put(r, l, rand(5) - 2);
    const flat = new FlatLattice();
    flat.reset();
    const lib = new KuromojiLattice();
    const positions = rand(12);
    for (let pos = 1; pos <= positions; pos++) {
      if (rand(4) === 0) continue;
      for (let n = rand(4); n > 0; n--) {
        const [name, cost, length, type, left, right] = [rand(100), rand(7) - 3, 1 + rand(3), rand(2), rand(ids), rand(ids)];
        flat.append(name, cost, pos, length, type, left, right, 0, 0);
        lib.append(new KuromojiNode(name, cost, pos, length, TYPE_NAMES[type]!, left, right, ''));
      }
    }
    flat.appendEos();
    lib.appendEos();
    out.push({ flat, lib, costs });
  }
  return out;
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

  it('tokenizes the whole corpus exactly like the stock builder (decoded from gzip, then from its cache)', { timeout: 90_000 }, async () => {
    expect(texts.length).toBeGreaterThan(1000);
    const fromGzip = await loadTokenizer(defaultDictPath(), { cacheRoot });
    expect(fromGzip.source).toBe('gzip');
    expect(fromGzip.cacheProblem).toBeUndefined();
    expect(differences(stock, fromGzip.tokenizer, texts)).toEqual([]);

    const fromCache = await loadTokenizer(defaultDictPath(), { cacheRoot });
    expect(fromCache.source).toBe('cache');
    expect(differences(stock, fromCache.tokenizer, texts)).toEqual([]);
  });

  it('builds the same lattices and finds the same paths as the stock builder and searcher, without falling back to them', { timeout: 90_000 }, async () => {
    const { arrays } = await loadDictionaryArrays(defaultDictPath(), { cacheRoot });
    const ours = (await loadTokenizer(defaultDictPath(), { cacheRoot })).tokenizer as unknown as KuromojiTokenizer;
    const { trie } = ours.viterbi_builder;
    const build = latticeBuilder({ ...arrays, base: trie.bc.getBaseBuffer(), check: trie.bc.getCheckBuffer() }, ours.unknown_dictionary);
    const { viterbi_builder: stockBuilder, viterbi_searcher: stockSearcher } = stock as unknown as KuromojiTokenizer;
    const search = new ViterbiSearch(stockSearcher.connection_costs);
    const flat = new FlatLattice();
    const fuzz = fuzzTexts(3000);
    const edges = edgeTexts(texts);
    expect(edges.filter((t) => t.length >= 2000)).not.toEqual([]);
    const out: { text: string; at: string }[] = [];
    for (const text of [...texts, ...fuzz, ...edges]) {
      for (const sentence of sentencesOf(text).concat(text ? [] : [''])) {
        // One FlatLattice for all, as the tokenizer reuses it: nothing may leak from the sentence before.
        if (!build(sentence, flat)) {
          out.push({ text: sentence, at: 'fell back to the stock builder' });
          continue;
        }
        const lattice = stockBuilder.build(sentence);
        const paired = pairNodes(flat, sentence, lattice);
        const at = 'at' in paired ? paired.at : searchDifference(flat, search, paired.pairs, stockSearcher.search(lattice));
        if (at) out.push({ text: sentence, at });
      }
    }
    expect(out).toEqual([]);
    expect(differences(stock, ours as unknown as Tokenizer, [...fuzz, ...edges])).toEqual([]);
  });

  it('searches made-up lattices exactly like kuromoji: ties, gaps, unreachable nodes', () => {
    const out: string[] = [];
    for (const [i, { flat, lib, costs }] of randomLattices(5000).entries()) {
      const paired = pairNodes(flat, '', lib);
      const at = 'at' in paired ? paired.at : searchDifference(flat, new ViterbiSearch(costs), paired.pairs, new KuromojiSearcher(costs).search(lib));
      if (at) out.push(`lattice ${i}: ${at}`);
    }
    expect(out).toEqual([]);
  });

  it('defers to the stock searcher for a context id outside the cost matrix (where the library throws)', () => {
    const costs = new KuromojiCosts(2, 2);
    const flat = new FlatLattice();
    flat.reset();
    flat.append(1, 0, 1, 1, 0, 0, 2, 0, 1);
    flat.appendEos();
    expect(new ViterbiSearch(costs).search(flat)).toBeUndefined();
    const lib = new KuromojiLattice();
    lib.append(new KuromojiNode(1, 0, 1, 1, 'KNOWN', 0, 2, 'x'));
    lib.appendEos();
    expect(() => new KuromojiSearcher(costs).search(lib)).toThrow(/overflow/);
    flat.reset();
    flat.append(1, 0, 1, 1, 0, 0, 1, 0, 1);
    flat.appendEos();
    expect(new ViterbiSearch(costs).search(flat)).toBe(1);
  });

  it('fails like the stock builder on a high surrogate without its pair', async () => {
    const ours = (await loadTokenizer(defaultDictPath(), { cacheRoot })).tokenizer;
    for (const text of ['\uD800', '保育\uD800園', 'あ\uD83D', '\uD800\uD800a', '😀\uD83D😀']) {
      expect(() => stock.tokenize(text), text).toThrow(TypeError);
      expect(() => ours.tokenize(text), text).toThrow(TypeError);
    }
  });

  it('tokenizes exactly like the stock tokenizer where it defers to the stock builder and searcher', async () => {
    const ours = (await loadTokenizer(defaultDictPath(), { cacheRoot })).tokenizer;
    const { viterbi_searcher: searcher } = stock as unknown as KuromojiTokenizer;
    // Defers every sentence, as it would for one the flat builder or search cannot take.
    installTokenizeForSentence(ours as unknown as TokenizerInternals, { build: () => false, searcher: new ViterbiSearch(searcher.connection_costs) });
    expect(differences(stock, ours, [...texts.slice(0, 300), ...edgeTexts(texts)])).toEqual([]);
  });

  it('reads back from the cache exactly the arrays it decoded, the features text left in its file', async () => {
    const decoded = await loadDictionaryArrays(defaultDictPath(), { cacheRoot: false });
    const cached = await loadDictionaryArrays(defaultDictPath(), { cacheRoot });
    expect(cached.source).toBe('cache');
    expect(decoded.arrays.tidPos).toBeInstanceOf(Uint8Array);
    expect(cached.arrays.tidPos).toBeInstanceOf(FeaturesOnDisk);
    for (const name of Object.keys(decoded.arrays) as (keyof DictionaryArrays)[]) {
      const [a, b] = [cached.arrays[name], decoded.arrays[name]];
      if (a instanceof FeaturesOnDisk || b instanceof FeaturesOnDisk) {
        expect(name).toBe('tidPos');
        expect(Buffer.from((a as FeaturesOnDisk).bytes()).equals(bytesOf(b as Uint8Array)), name).toBe(true);
        continue;
      }
      expect(a.constructor, name).toBe(b.constructor);
      expect(bytesOf(a).equals(bytesOf(b)), name).toBe(true);
    }
  });

  it('reads each features line from the file as the in-memory text gives it: long lines, the last one, past the end', async () => {
    const decoded = await loadDictionaryArrays(defaultDictPath(), { cacheRoot: false });
    const cached = await loadDictionaryArrays(defaultDictPath(), { cacheRoot });
    const text = decoded.arrays.tidPos as Uint8Array;
    const file = cached.arrays.tidPos as FeaturesOnDisk;
    const { ByteBuffer } = kuromojiInternals();
    const inMemory = new ByteBuffer(text) as unknown as { getString(offset: number): string };
    const onDisk = featuresBuffer(file);
    // Every line's start, the longest lines (more than one read), a start inside a line, the tail and past the end.
    const starts = [0];
    for (let i = 0; i < text.length - 1; i++) if (text[i] === 0) starts.push(i + 1);
    const longest = [...starts.keys()].sort((x, y) => (starts[y + 1] ?? text.length) - starts[y]! - ((starts[x + 1] ?? text.length) - starts[x]!)).slice(0, 50);
    const picked = [
      ...starts.filter((_, i) => i % 97 === 0),
      ...longest.map((i) => starts[i]!),
      5,
      text.length - 3,
      text.length - 1,
      text.length,
      text.length + 10,
    ];
    expect(Math.max(...longest.map((i) => (starts[i + 1] ?? text.length) - starts[i]!))).toBeGreaterThan(256);
    const out = picked.filter((at) => onDisk.getString(at) !== inMemory.getString(at));
    expect(out).toEqual([]);
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
