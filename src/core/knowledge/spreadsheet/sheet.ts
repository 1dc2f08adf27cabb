import type { KnowledgeFiles } from '../files.js';
import type { KnowledgeBase } from '../load.js';
import { applyFacilityRows, isFacilitySheet } from './facility-rows.js';
import { applyRows, type RowError } from './rows.js';

export interface SheetResult {
  /** Which sheet the header says this is. */
  sheet: 'answers' | 'facilities';
  files?: Record<string, string>;
  errors: RowError[];
  rowOf: ReadonlyMap<string, number>;
}

/** Either spreadsheet, told apart by its header: the answers (one row per entry × facet) or the facility directory. */
export function applySheet(files: KnowledgeFiles, kb: KnowledgeBase, header: readonly string[], rows: readonly Record<string, string>[]): SheetResult {
  return isFacilitySheet(header) ? { sheet: 'facilities', ...applyFacilityRows(files, kb, header, rows) } : { sheet: 'answers', ...applyRows(files, kb, header, rows) };
}
