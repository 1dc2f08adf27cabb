import { MENU_TOPICS, handoffButton, postback } from '../../dialogue/replies.js';

/**
 * The simulator's stand-in for the rich menu: the same six entries, built from the dialogue layer's vocabulary so
 * the page never carries its own copy of labels or postback data.
 */

export interface MenuItem {
  label: string;
  data: string;
  displayText: string;
  /** One character drawn in a circle; decoration only (the real rich menu is an image). */
  icon: string;
}

// Characters every Japanese font has: emoji fonts are often missing on office PCs and CI machines.
const ICONS: Record<string, string> = {
  azuketai: '預',
  okane: '¥',
  kenshin: '健',
  ninshin: '妊',
  soudan: '相',
};

export function richMenuItems(): MenuItem[] {
  const topics: MenuItem[] = MENU_TOPICS.map((m) => ({ label: m.label, data: postback({ a: 'menu', t: m.topic }), displayText: m.label, icon: ICONS[m.topic] ?? m.label.slice(0, 1) }));
  const handoff = 'postback' in handoffButton ? { label: handoffButton.label, data: handoffButton.postback, displayText: handoffButton.displayText ?? handoffButton.label, icon: '人' } : undefined;
  return handoff ? [...topics, handoff] : topics;
}
