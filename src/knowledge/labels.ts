import { FACET_LABELS } from '../dialogue/replies.js';
import type { Facet } from './schema.js';

/** Words staff see for the knowledge base's parts (console, diffs, spreadsheet). */
export { FACET_LABELS };

export const TOPIC_LABELS: Record<string, string> = {
  azuketai: '預けたい',
  okane: 'お金・手当',
  kenshin: '健診・予防接種',
  ninshin: '妊娠・出産',
  soudan: '相談したい',
  info: '市の計画・情報',
  smalltalk: 'あいさつ',
};

export const facetLabel = (f: string): string => FACET_LABELS[f as Facet] ?? f;
