/**
 * How a spreadsheet cell is read back, shared by the answer sheet (rows.ts) and the facility sheet
 * (facility-rows.ts): what Excel does to dates and digits, lines inside a cell, yes/no.
 */

/** RFC 4180 cells may hold several lines; each is trimmed. An empty cell is one empty line. */
export const lines = (cell: string | undefined): string[] =>
  (cell ?? '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((s) => s.trim());
export const nonEmptyLines = (cell: string | undefined): string[] => lines(cell).filter(Boolean);

/** How many lines a cell gives: 0 for an empty cell, so a column left empty as a whole can mean "none of them". */
export const lineCount = (got: readonly string[]): number => (got.length === 1 && got[0] === '' ? 0 : got.length);

/** Excel turns 2026-11-29 into 2026/11/29 and digits may be full-width: both are read as the same date. */
export function isoDate(v: string): string | undefined {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(v.normalize('NFKC'));
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : undefined;
}

/** Excel shows 07:30 as 7:30: both are read as 07:30. Anything else comes back as written, for the validation to name. */
export function hhmm(v: string): string {
  const t = v.normalize('NFKC').trim();
  const m = /^(\d{1,2}):(\d{2})(?::00)?$/.exec(t);
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : t;
}

export function yesNo(v: string): boolean | undefined {
  const t = v.normalize('NFKC').trim().toLowerCase();
  if (['', 'いいえ', 'false', '0', '×', 'no'].includes(t)) return false;
  if (['はい', 'true', '1', '○', '〇', 'yes'].includes(t)) return true;
  return undefined;
}

/** A source column whose lines do not match 出典ID's, in the sheet's words; undefined when they match. */
export function sourceCountProblem(ids: number, column: string, got: readonly string[], mayBeEmpty: boolean): string | undefined {
  const count = lineCount(got);
  return count === ids || (mayBeEmpty && count === 0) ? undefined : `出典IDが${ids}件なのに、${column}が${count}件です（1行に1件ずつ、同じ順に書いてください）`;
}

/** What every source line needs (a name, an http(s) URL, a 確認日 Excel may have reformatted): problems by column, and the date read. */
export function sourceLineProblems(sid: string, v: { title: string; url: string; checked: string }): { problems: ['出典名' | '出典URL' | '確認日', string][]; checked?: string } {
  const problems: ['出典名' | '出典URL' | '確認日', string][] = [];
  if (!v.title) problems.push(['出典名', `出典「${sid}」の名前が空欄です`]);
  if (!/^https?:\/\/\S+$/.test(v.url)) problems.push(['出典URL', `出典「${sid}」のURLは http:// か https:// で始めてください`]);
  const checked = isoDate(v.checked);
  if (!checked) problems.push(['確認日', `出典「${sid}」の確認日「${v.checked}」は 2026-11-29 のように書いてください`]);
  return checked ? { problems, checked } : { problems };
}
