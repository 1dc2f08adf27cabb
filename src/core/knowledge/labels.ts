import type { Facet } from './schema.js';

/** The facets' names, as parents see them on buttons and cards and staff in the console, diffs and spreadsheet. */
export const FACET_LABELS: Record<Facet, string> = {
  overview: '概要',
  cost: '料金',
  how: '申込方法',
  who: '対象',
  where: '場所・日時',
  contact: '問い合わせ',
};

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
