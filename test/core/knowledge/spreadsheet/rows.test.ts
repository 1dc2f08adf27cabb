import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readKnowledgeFolders } from '../../../../src/core/knowledge/files.js';
import { defaultDirs, loadKnowledgeBase } from '../../../../src/core/knowledge/load.js';
import { decodeCsv, encodeCsv, parseCsv } from '../../../../src/core/knowledge/spreadsheet/csv.js';
import { COLUMNS, applyRows, rowsFromKnowledge } from '../../../../src/core/knowledge/spreadsheet/rows.js';

const files = readKnowledgeFolders(defaultDirs(path.resolve(import.meta.dirname, '../../../..')));
const kb = loadKnowledgeBase({ files }).kb!;

function importBytes(bytes: Buffer) {
  const { text, encoding } = decodeCsv(bytes);
  const { header, rows } = parseCsv(text);
  return { encoding, ...applyRows(files, kb, header, rows) };
}

describe('knowledge base ⇄ spreadsheet', () => {
  const exported = encodeCsv(COLUMNS, rowsFromKnowledge(kb));

  it('exports one row per answer, UTF-8 with a BOM, open-FAQ columns first', () => {
    expect([...exported.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { header, rows } = parseCsv(decodeCsv(exported).text);
    expect(header.slice(0, 4)).toEqual(['ID', '質問', '回答', 'カテゴリ']);
    const answers = [...kb.entries.values()].reduce((n, e) => n + Object.values(e.facets).filter(Boolean).length, 0);
    expect(rows).toHaveLength(answers);
    expect(rows.find((r) => r.ID === 'sick-child-care#cost')).toMatchObject({ 質問: '病児・病後児保育の料金は？', 未確認: 'はい', 側面: '料金' });
  });

  it('imports its own export as exactly the same files', () => {
    const out = importBytes(exported);
    expect(out.errors).toEqual([]);
    expect(out.files).toEqual(files);
  });

  it('leaves dated statements as they are: the sheet has no column for them', () => {
    const yaml = files['knowledge/medical-subsidy.yaml']!;
    const at = yaml.indexOf('    sources: [kasaoka-1699]\n', yaml.indexOf('  who:'));
    const dated = { ...files, 'knowledge/medical-subsidy.yaml': `${yaml.slice(0, at)}    statements:\n      - text: つぎの決まり\n        from: 2027-04-01\n${yaml.slice(at)}` };
    const datedKb = loadKnowledgeBase({ files: dated }).kb!;
    const { header, rows } = parseCsv(decodeCsv(encodeCsv(COLUMNS, rowsFromKnowledge(datedKb))).text);
    const edited = rows.map((r) => (r.ID === 'medical-subsidy#who' ? { ...r, 回答: `${r['回答']}（追記）` } : r));
    const out = applyRows(dated, datedKb, header, edited);
    expect(out.errors).toEqual([]);
    const after = loadKnowledgeBase({ files: out.files! }).kb!.entries.get('medical-subsidy')!.facets.who!;
    expect(after.text.endsWith('（追記）')).toBe(true);
    expect(after.statements).toEqual([{ text: 'つぎの決まり', from: '2027-04-01' }]);
  });

  it('reads a Shift_JIS file (as Excel saves CSV) and changes only what was edited', () => {
    // Shift_JIS cannot hold every character (emoji, some symbols): the sheet holds one entry's rows, the others stay.
    const { header, rows: all } = parseCsv(decodeCsv(exported).text);
    const rows = all.filter((r) => r['項目ID'] === 'sick-child-care');
    const row = rows.find((r) => r.ID === 'sick-child-care#cost')!;
    row['回答'] = '料金は1日2,000円です（テスト）。子育て支援課（TEL 0865-69-2132）にお問い合わせください。';
    row['確認日'] = row['確認日']!.split('\n').map(() => '2026/12/1').join('\n');
    const sjis = iconv.encode(encodeCsv(header, rows).subarray(3).toString('utf8'), 'cp932');
    const out = importBytes(sjis);
    expect(out.encoding).toBe('shift_jis');
    expect(out.errors).toEqual([]);
    const changed = Object.keys(files).filter((f) => out.files![f] !== files[f]);
    expect(changed).toEqual(['knowledge/sick-child-care.yaml']);
    const after = loadKnowledgeBase({ files: out.files! }).kb!.entries.get('sick-child-care')!;
    expect(after.facets.cost!.text).toContain('1日2,000円');
    expect(after.sources.find((s) => s.id === 'asakuchi-byoji')!.checked).toBe('2026-12-01');
    // The rest of the file keeps its comments and layout.
    expect(out.files!['knowledge/sick-child-care.yaml']).toContain('  age: { from: 0歳, to: 小6 }');
  });

  it('reports broken rows with row, column and a Japanese message, and returns no files', () => {
    const { header, rows } = parseCsv(decodeCsv(exported).text);
    rows[1]!['確認日'] = rows[1]!['確認日']!.replace(/^[^\n]*/, '昨日');
    rows[3]!['項目ID'] = 'no-such-entry';
    rows[4]!['回答'] = '';
    const out = importBytes(encodeCsv(header, rows));
    expect(out.files).toBeUndefined();
    expect(out.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 3, column: '確認日', message: expect.stringContaining('2026-11-29 のように') }),
        expect.objectContaining({ row: 5, column: '項目ID', message: expect.stringContaining('no-such-entry') }),
        expect.objectContaining({ row: 6, column: '回答', message: '回答が空欄です' }),
      ]),
    );
  });

  it('refuses a sheet without our columns', () => {
    const out = importBytes(Buffer.from('ID,質問,回答,カテゴリ\r\n1,a,b,c\r\n'));
    expect(out.files).toBeUndefined();
    expect(out.errors[0]).toMatchObject({ row: 1, column: '項目ID' });
  });
});

describe('spreadsheet cells and formulas (OWASP CSV injection)', () => {
  const texts = ['=HYPERLINK("http://evil","x")', '+81 865', '-1', '@SUM(A1)', '\tx', '\rx', "'=already", "''+twice", 'ふつうの文', "'quoted"];
  it('exports no cell that a spreadsheet would run as a formula', () => {
    const csv = encodeCsv(['text'], texts.map((text) => ({ text }))).subarray(3).toString('utf8');
    const cells = parseCsvRaw(csv);
    for (const cell of cells) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
  });
  it('reads back exactly the texts that were exported', () => {
    const { rows } = parseCsv(encodeCsv(['text'], texts.map((text) => ({ text }))).subarray(3).toString('utf8'));
    expect(rows.map((r) => r.text)).toEqual(texts);
  });
});

/** The cells of a one-column CSV as a spreadsheet sees them (no un-escaping of our apostrophes). */
function parseCsvRaw(csv: string): string[] {
  return [...csv.matchAll(/^("(?:[^"]|"")*"|[^\r\n]*)\r\n/gm)].slice(1).map((m) => (m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!));
}
