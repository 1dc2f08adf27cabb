import path from 'node:path';
import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import { FACILITIES_FILE } from '../../../../src/core/knowledge/facilities/schema.js';
import { readKnowledgeFolders } from '../../../../src/core/knowledge/files.js';
import { defaultDirs, loadKnowledgeBase } from '../../../../src/core/knowledge/load.js';
import { decodeCsv, encodeCsv, parseCsv } from '../../../../src/core/knowledge/spreadsheet/csv.js';
import { FACILITY_COLUMNS, rowsFromFacilities } from '../../../../src/core/knowledge/spreadsheet/facility-rows.js';
import { problemRows } from '../../../../src/core/knowledge/spreadsheet/rows.js';
import { applySheet } from '../../../../src/core/knowledge/spreadsheet/sheet.js';

const files = readKnowledgeFolders(defaultDirs(path.resolve(import.meta.dirname, '../../../..')));
const kb = loadKnowledgeBase({ files }).kb!;
const exported = encodeCsv(FACILITY_COLUMNS, rowsFromFacilities(kb));
const sheet = () => parseCsv(decodeCsv(exported).text);
const apply = (rows: Record<string, string>[], header = sheet().header) => applySheet(files, kb, header, rows);
const facilityIn = (out: Record<string, string>, id: string) => loadKnowledgeBase({ files: out }).kb!.facilities.facilities.find((f) => f.id === id);

describe('the facility directory ⇄ spreadsheet', () => {
  it('exports one row per facility with every field the console form has, UTF-8 with a BOM', () => {
    expect([...exported.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { header, rows } = sheet();
    expect(header[0]).toBe('施設ID');
    expect(rows).toHaveLength(kb.facilities.facilities.length);
    expect(rows.find((r) => r['施設ID'] === 'shinkawa-kodomoen')).toMatchObject({
      名前: '新川こども園',
      種類: '認定こども園',
      '公立・私立': '私立',
      住所: '岡山県笠岡市金浦737-1',
      電話: '0865-66-1668',
      開く時刻: '07:00',
      閉まる時刻: '19:00',
      出典ID: 'shinkawa-site',
      情報の時点: '2023年以降の園サイト',
    });
  });

  it('is told from the answer sheet by its header, and imports its own export as exactly the same files', () => {
    const out = apply(sheet().rows);
    expect(out.sheet).toBe('facilities');
    expect(out.errors).toEqual([]);
    expect(out.files).toEqual(files);
  });

  it('reads cells as Excel leaves them (2026/12/1, 7:30) and changes only what was edited; a shared source changes for every facility citing it', () => {
    const rows = sheet().rows.map((r) =>
      r['施設ID'] === 'aozora-kodomoen'
        ? { ...r, 注意書き: '園庭開放の日はテストで確かめました', 開く時刻: '7:30', 確認日: r['確認日']!.split('\n').map(() => '2026/12/1').join('\n') }
        : r,
    );
    const out = apply(rows);
    expect(out.errors).toEqual([]);
    const after = loadKnowledgeBase({ files: out.files! }).kb!;
    expect(after.facilities.facilities.find((f) => f.id === 'aozora-kodomoen')).toMatchObject({ note: '園庭開放の日はテストで確かめました', hours: { opens: '07:30' } });
    // kodomoen-shoukai is cited by every こども園: its 確認日 changed for all of them, once, in the file's sources.
    expect(after.facilities.sources.find((s) => s.id === 'kodomoen-shoukai')!.checked).toBe('2026-12-01');
    const added = diffLines(files[FACILITIES_FILE]!, out.files![FACILITIES_FILE]!).filter((d) => d.added);
    // The note and the 確認日 of the two sources aozora-kodomoen cites; 7:30 is the 07:30 it was: nothing else changed.
    expect(added.map((d) => d.value.trim()).join('\n').split('\n')).toEqual([
      'note: 園庭開放の日はテストで確かめました',
      'checked: 2026-12-01',
      'checked: 2026-12-01',
    ]);
    for (const [name, text] of Object.entries(out.files!)) if (name !== FACILITIES_FILE) expect(text, name).toBe(files[name]);
  });

  it('adds a facility from a row with a new 施設ID, with its new source', () => {
    const template = sheet().rows[0]!;
    const row = Object.fromEntries(FACILITY_COLUMNS.map((c) => [c, ''])) as Record<string, string>;
    Object.assign(row, {
      施設ID: 'sheet-park',
      名前: '表から足した広場',
      読み: 'ひょうからたしたひろば',
      種類: '公園・遊び場',
      関係する項目: 'play-events',
      出典ID: 'sheet-source',
      出典名: '表から足した出典',
      出典URL: 'https://www.city.kasaoka.okayama.jp/sheet',
      確認日: '2026-12-07',
      情報の時点: '2026年12月時点',
    });
    const out = apply([template, row]);
    expect(out.errors).toEqual([]);
    expect(facilityIn(out.files!, 'sheet-park')).toMatchObject({ name: '表から足した広場', kind: 'park', sources: ['sheet-source'] });
  });

  it('refuses rows it cannot read, by row and column, and changes nothing', () => {
    const { rows } = sheet();
    const bad = rows.map((r, i) =>
      i === 0 ? { ...r, 種類: '遊園地' } : i === 1 ? { ...r, 確認日: 'きのう' } : i === 2 ? { ...r, 出典名: '' } : i === 3 ? { ...r, 施設ID: rows[0]!['施設ID']! } : r,
    );
    const out = apply(bad);
    expect(out.files).toBeUndefined();
    expect(out.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 2, column: '種類', message: expect.stringContaining('種類「遊園地」が分かりません') }),
        expect.objectContaining({ row: 3, column: '確認日', message: expect.stringContaining('2026-11-29 のように') }),
        expect.objectContaining({ row: 4, column: '出典名' }),
        expect.objectContaining({ row: 5, column: '施設ID', message: expect.stringContaining('2行目 にもあります') }),
      ]),
    );
  });

  it('refuses a sheet without its columns', () => {
    const { header, rows } = sheet();
    const out = apply(rows, header.filter((h) => h !== '電話'));
    expect(out.errors).toEqual([expect.objectContaining({ row: 1, column: '電話' })]);
  });

  it('leaves to the knowledge-base validation what only it can judge, and its problems point at the row', () => {
    const rows = sheet().rows.map((r) => (r['施設ID'] === 'shinkawa-kodomoen' ? { ...r, 電話: '0865-66-0000' } : r));
    const out = apply(rows);
    expect(out.errors).toEqual([]);
    const { problems } = loadKnowledgeBase({ files: out.files! });
    const located = problemRows(problems, out.rowOf);
    const row = rows.findIndex((r) => r['施設ID'] === 'shinkawa-kodomoen') + 2;
    expect(located).toEqual([expect.objectContaining({ row, message: expect.stringContaining('0865-66-0000 は knowledge/_contacts.yaml にない番号です') })]);
  });
});
