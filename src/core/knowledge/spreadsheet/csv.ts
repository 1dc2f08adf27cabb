import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

// OWASP's rule against formula injection: a cell that a spreadsheet would run as a formula (= + - @, or a tab or
// carriage return before one) is exported with a leading apostrophe. Cells that already start with apostrophes before
// such a character get one more, so reading a file back (`fromSpreadsheetCell`) restores every text exactly.
const FORMULA = /^'*[=+\-@\t\r]/;

/** A text as a spreadsheet cell that cannot run as a formula. */
export const toSpreadsheetCell = (text: string): string => (FORMULA.test(text) ? `'${text}` : text);
/** The text a toSpreadsheetCell cell stood for. */
export const fromSpreadsheetCell = (cell: string): string => (cell.startsWith("'") && FORMULA.test(cell.slice(1)) ? cell.slice(1) : cell);

/** UTF-8 with a byte-order mark and CRLF lines: what Excel needs to open Japanese text correctly by double-click. */
export function encodeCsv(header: readonly string[], rows: readonly Record<string, string>[]): Buffer {
  const text = stringify(
    rows.map((r) => header.map((h) => toSpreadsheetCell(r[h] ?? ''))),
    { header: true, columns: [...header], record_delimiter: '\r\n', quoted_match: /[\n",]/ },
  );
  return Buffer.concat([BOM, Buffer.from(text, 'utf8')]);
}

export type CsvEncoding = 'utf-8' | 'shift_jis';

/**
 * The text of a spreadsheet file: UTF-8 with or without a BOM, else Shift_JIS (Windows' cp932, which Excel writes
 * for 「CSV (コンマ区切り)」). Bytes that are not valid UTF-8 are taken as Shift_JIS.
 */
export function decodeCsv(bytes: Buffer): { text: string; encoding: CsvEncoding } {
  if (bytes.subarray(0, 3).equals(BOM)) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'cp932'), encoding: 'shift_jis' };
  }
}

/** Records as header → cell maps. Throws with a Japanese message when the file is not CSV at all. */
export function parseCsv(text: string): { header: string[]; rows: Record<string, string>[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new Error(`CSV として読めません${line ? `（${line}行目付近）` : ''}。引用符（"）の閉じ忘れがないか確認してください。`);
  }
  const [head, ...body] = records;
  const header = (head ?? []).map((h) => h.trim());
  return { header, rows: body.map((cells) => Object.fromEntries(header.map((h, i) => [h, fromSpreadsheetCell(cells[i] ?? '')]))) };
}
