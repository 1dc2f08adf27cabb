/* 担当者コンソール: draws the answer preview as LINE cards, with the simulator's own Flex renderer. */
/* global document */
import { renderMessage } from '/console/static/flex/flex.js';

/* Buttons in a preview do nothing: it shows what the parent will see, it does not talk to the bot. */
const ctx = { onAction() {} };

document.querySelectorAll('[data-line-messages]').forEach((holder) => {
  let messages;
  try {
    messages = JSON.parse(holder.getAttribute('data-line-messages') || '[]');
  } catch {
    return;
  }
  holder.textContent = '';
  holder.classList.add('line-preview');
  for (const message of messages) {
    const row = document.createElement('div');
    row.className = 'line-preview__message';
    row.appendChild(renderMessage(message, ctx));
    holder.appendChild(row);
    const chips = message && message.quickReply && Array.isArray(message.quickReply.items) ? message.quickReply.items : [];
    if (chips.length) {
      const bar = document.createElement('div');
      bar.className = 'line-preview__chips';
      bar.setAttribute('aria-label', 'クイックリプライ');
      for (const item of chips) {
        const chip = document.createElement('span');
        chip.className = 'line-preview__chip';
        chip.textContent = (item.action && item.action.label) || '';
        bar.appendChild(chip);
      }
      holder.appendChild(bar);
    }
  }
});
