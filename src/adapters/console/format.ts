import { maskPersonalData } from '../../core/privacy/mask.js';
import type { CloseReason, HandoffStatus, TranscriptEntry } from '../../app/handoff/types.js';

/** Staff work in Japan whatever the server's time zone is. */
const DATE_TIME = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export const jpDateTime = (ms: number): string => DATE_TIME.format(ms);
export const isoTime = (ms: number): string => new Date(ms).toISOString();

/** 「1分未満」「5分」「1時間20分」「2日」. public/console.js has the same rule to keep the numbers current. */
export function elapsedText(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return '1分未満';
  if (minutes < 60) return `${minutes}分`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours}時間${minutes % 60}分` : `${hours}時間`;
  return `${Math.floor(hours / 24)}日`;
}

export const STATUS_LABELS: Record<HandoffStatus, string> = { waiting: '待機中', active: '対応中', closed: '終了' };

export const CLOSE_REASON_LABELS: Record<CloseReason, string> = {
  staff: '担当者が終了',
  idle: 'やりとりがなく自動で終了',
  cancelled: '保護者が取り消し',
  erased: '保護者のデータを削除',
};

/** What kind of danger the bot recognised (intents/_emergency.yaml kinds). */
export const EMERGENCY_LABELS: Record<string, string> = {
  medical: '急病・けが',
  missing: '行方不明・事故',
  violence: '暴力・事件',
  harm: '子どもを傷つけてしまいそう',
  suicide: '死にたい気持ち',
};

export const SPEAKER_LABELS: Record<TranscriptEntry['from'], string> = {
  parent: '保護者',
  bot: '自動応答',
  staff: '担当者',
  note: '内部メモ',
  system: 'お知らせ',
};

/**
 * A parent's message as the queue shows it: on one line, cut short, and with phone numbers, addresses and names
 * masked — the queue is on screen for anyone passing by; the whole message is in the conversation.
 */
export function previewText(text: string, max = 60): string {
  const line = maskPersonalData(text).replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : line;
}
