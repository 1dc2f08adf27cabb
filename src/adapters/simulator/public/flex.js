// Renders LINE message objects (as the bot sends them to the Messaging API) into DOM nodes, approximating how the
// LINE app draws them. Generic over the Flex JSON so staff see what any reply would look like; anything unknown
// becomes a muted placeholder instead of breaking the page. Text is always set with textContent, never as HTML.

/** LINE's keyword sizes, in px (Flex Message reference; approximations of what the app draws). */
const TEXT_SIZES = { xxs: 11, xs: 13, sm: 14, md: 16, lg: 19, xl: 22, xxl: 29, '3xl': 35, '4xl': 48, '5xl': 74 };
const SPACES = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };
const IMAGE_SIZES = { xxs: 40, xs: 60, sm: 80, md: 100, lg: 120, xl: 140, xxl: 160, '3xl': 180, '4xl': 200, '5xl': 220 };
const BUBBLE_WIDTHS = { nano: 120, micro: 160, deca: 220, hecto: 241, kilo: 260, mega: 300, giga: 386 };
const SECTION_PADDING = { header: '16px 20px', hero: '0', body: '16px 20px', footer: '10px 14px 14px' };
const WEIGHTS = { bold: '700', regular: '400' };

const SAFE_LINK = /^(https?:|tel:|mailto:)/i;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A keyword (`md`) or a CSS length (`12px`, `5%`) as CSS; undefined for anything else. */
function length(value, table) {
  if (typeof value !== 'string') return undefined;
  if (table && value in table) return `${table[value]}px`;
  return /^\d+(\.\d+)?(px|%)$/.test(value) ? value : undefined;
}

const text = (v) => (typeof v === 'string' ? v : '');

/** The first action-looking label, for placeholders and accessible names. */
const actionLabel = (action) => text(action?.label) || text(action?.displayText) || text(action?.text) || text(action?.uri) || '操作';

/**
 * Makes `node` act out `action`: links for uri actions (http(s) in a new tab, tel:/mailto: as plain links), and a
 * keyboard-reachable button for everything else.
 */
function bindAction(node, action, ctx) {
  if (!action || typeof action !== 'object') return node;
  if (action.type === 'uri') {
    const uri = text(action.uri);
    if (!SAFE_LINK.test(uri)) {
      node.classList.add('is-disabled');
      node.title = '開けないリンクです';
      return node;
    }
    const a = el('a', `${node.className} flex-link`);
    a.href = uri;
    if (/^https?:/i.test(uri)) {
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
    }
    while (node.firstChild) a.appendChild(node.firstChild);
    a.style.cssText = node.style.cssText;
    return a;
  }
  node.classList.add('is-action');
  node.tabIndex = 0;
  node.setAttribute('role', 'button');
  const run = () => ctx.onAction(action);
  node.addEventListener('click', run);
  node.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      run();
    }
  });
  return node;
}

/** A real <button>/<a> for Flex buttons, quick replies and template actions. */
export function actionButton(action, className, ctx) {
  const label = actionLabel(action);
  if (action?.type === 'uri') {
    const uri = text(action.uri);
    if (SAFE_LINK.test(uri)) {
      const a = el('a', className, label);
      a.href = uri;
      if (/^https?:/i.test(uri)) {
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
      }
      return a;
    }
  }
  const b = el('button', className, label);
  b.type = 'button';
  if (action?.type === 'uri') {
    b.disabled = true;
    b.title = '開けないリンクです';
  } else b.addEventListener('click', () => ctx.onAction(action));
  return b;
}

function unknown(what) {
  return el('div', 'flex-unknown', `［未対応の要素: ${what}］`);
}

function applyCommonStyle(node, c) {
  const s = node.style;
  if (typeof c.backgroundColor === 'string') s.backgroundColor = c.backgroundColor;
  if (typeof c.borderColor === 'string') s.borderColor = c.borderColor;
  const bw = length(c.borderWidth, { none: 0, light: 0.5, normal: 1, medium: 2, semi_bold: 3, bold: 4 });
  if (bw) {
    s.borderWidth = bw;
    s.borderStyle = 'solid';
  }
  const radius = length(c.cornerRadius, { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 });
  if (radius) s.borderRadius = radius;
  const padAll = length(c.paddingAll, SPACES);
  if (padAll) s.padding = padAll;
  for (const [key, prop] of [
    ['paddingTop', 'paddingTop'],
    ['paddingBottom', 'paddingBottom'],
    ['paddingStart', 'paddingInlineStart'],
    ['paddingEnd', 'paddingInlineEnd'],
  ]) {
    const v = length(c[key], SPACES);
    if (v) s[prop] = v;
  }
  for (const key of ['width', 'maxWidth', 'height', 'maxHeight']) {
    const v = length(c[key]);
    if (v) s[key] = v;
  }
  if (c.position === 'absolute') {
    s.position = 'absolute';
    for (const [key, prop] of [
      ['offsetTop', 'top'],
      ['offsetBottom', 'bottom'],
      ['offsetStart', 'insetInlineStart'],
      ['offsetEnd', 'insetInlineEnd'],
    ]) {
      const v = length(c[key], SPACES);
      if (v) s[prop] = v;
    }
  }
}

/** `flex` of a child: in a horizontal box children share the width (default 1), in a vertical one they do not. */
function applyFlex(node, c, parentLayout) {
  const horizontal = parentLayout === 'horizontal' || parentLayout === 'baseline';
  const n = typeof c.flex === 'number' ? c.flex : horizontal ? 1 : 0;
  node.style.flex = n > 0 ? `${n} 1 ${horizontal ? '0%' : 'auto'}` : '0 0 auto';
  if (horizontal) node.style.minWidth = '0';
}

const ALIGN = { start: 'flex-start', end: 'flex-end', center: 'center' };

function renderBox(c, ctx) {
  const layout = ['vertical', 'horizontal', 'baseline'].includes(c.layout) ? c.layout : 'vertical';
  const box = el('div', `flex-box flex-${layout}`);
  applyCommonStyle(box, c);
  if (typeof c.justifyContent === 'string') box.style.justifyContent = c.justifyContent;
  if (typeof c.alignItems === 'string') box.style.alignItems = c.alignItems;
  if (typeof c.background === 'object' && c.background?.type === 'linearGradient') {
    const angle = text(c.background.angle) || '0deg';
    box.style.backgroundImage = `linear-gradient(${angle}, ${text(c.background.startColor)}, ${text(c.background.endColor)})`;
  }
  const spacing = length(c.spacing, SPACES);
  const children = Array.isArray(c.contents) ? c.contents : [];
  children.forEach((child, i) => {
    const node = renderComponent(child, ctx, layout);
    // LINE's `spacing` goes between children; a child's own `margin` replaces it.
    const gap = length(child?.margin, SPACES) ?? (i > 0 ? spacing : undefined);
    if (gap) node.style[layout === 'vertical' ? 'marginTop' : 'marginInlineStart'] = gap;
    box.appendChild(node);
  });
  return bindAction(box, c.action, ctx);
}

function applyTextStyle(node, c) {
  const size = length(c.size, TEXT_SIZES);
  if (size) node.style.fontSize = size;
  if (c.weight in WEIGHTS) node.style.fontWeight = WEIGHTS[c.weight];
  if (typeof c.color === 'string') node.style.color = c.color;
  if (c.style === 'italic') node.style.fontStyle = 'italic';
  if (c.decoration === 'underline' || c.decoration === 'line-through') node.style.textDecoration = c.decoration;
}

function renderText(c, ctx, parentLayout) {
  const node = el('div', 'flex-text');
  applyTextStyle(node, c);
  applyCommonStyle(node, c);
  if (Array.isArray(c.contents) && c.contents.length) {
    for (const span of c.contents) {
      if (span?.type !== 'span') continue;
      const s = el('span', 'flex-span', text(span.text));
      applyTextStyle(s, span);
      node.appendChild(s);
    }
  } else node.textContent = text(c.text);
  if (c.wrap === true) {
    node.classList.add('is-wrap');
    if (typeof c.maxLines === 'number' && c.maxLines > 0) {
      node.classList.add('is-clamped');
      node.style.webkitLineClamp = String(c.maxLines);
    }
  } else node.classList.add('is-nowrap');
  if (c.align in ALIGN) node.style.textAlign = c.align;
  if (parentLayout !== 'vertical' && c.gravity in { top: 1, bottom: 1, center: 1 })
    node.style.alignSelf = { top: 'flex-start', bottom: 'flex-end', center: 'center' }[c.gravity];
  const lineSpacing = length(c.lineSpacing);
  if (lineSpacing) node.style.lineHeight = `calc(1.4em + ${lineSpacing})`;
  return bindAction(node, c.action, ctx);
}

function buttonColors(c) {
  const style = c.style === 'primary' || c.style === 'secondary' ? c.style : 'link';
  const color = typeof c.color === 'string' ? c.color : undefined;
  return { style, color };
}

function renderButton(c, ctx) {
  const { style, color } = buttonColors(c);
  const node = actionButton(c.action, `flex-button flex-button-${style} ${c.height === 'sm' ? 'is-sm' : 'is-md'}`, ctx);
  // LINE cuts long labels to one line; the tooltip shows staff the whole label.
  node.title ||= actionLabel(c.action);
  if (color) {
    if (style === 'link') node.style.color = color;
    else node.style.backgroundColor = color;
  }
  if (c.gravity in { top: 1, bottom: 1, center: 1 }) node.style.alignSelf = { top: 'flex-start', bottom: 'flex-end', center: 'center' }[c.gravity];
  return node;
}

function renderSeparator(c, parentLayout) {
  const node = el('div', parentLayout === 'vertical' ? 'flex-separator' : 'flex-separator is-vertical');
  node.setAttribute('role', 'separator');
  if (typeof c.color === 'string') node.style.borderColor = c.color;
  return node;
}

function safeImageUrl(url) {
  return typeof url === 'string' && /^(https?:|data:image\/)/i.test(url) ? url : undefined;
}

function renderImage(c, ctx) {
  const wrap = el('div', 'flex-image');
  const size = c.size === 'full' ? '100%' : length(c.size ?? 'md', IMAGE_SIZES);
  if (size) wrap.style.width = size;
  wrap.style.alignSelf = { start: 'flex-start', end: 'flex-end' }[c.align] ?? 'center';
  applyCommonStyle(wrap, { backgroundColor: c.backgroundColor });
  const src = safeImageUrl(c.url);
  if (!src) return bindAction(el('div', 'flex-unknown', '［画像］'), c.action, ctx);
  const img = el('img');
  img.src = src;
  img.alt = text(c.altText) || '';
  img.loading = 'lazy';
  const ratio = typeof c.aspectRatio === 'string' ? /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(c.aspectRatio) : null;
  img.style.aspectRatio = ratio ? `${ratio[1]} / ${ratio[2]}` : '1 / 1';
  img.style.objectFit = c.aspectMode === 'cover' ? 'cover' : 'contain';
  wrap.appendChild(img);
  return bindAction(wrap, c.action, ctx);
}

function renderIcon(c) {
  const src = safeImageUrl(c.url);
  const size = length(c.size ?? 'md', TEXT_SIZES) ?? '16px';
  if (!src) return el('span', 'flex-icon', '•');
  const img = el('img', 'flex-icon');
  img.src = src;
  img.alt = '';
  img.style.width = size;
  img.style.height = size;
  return img;
}

function renderComponent(c, ctx, parentLayout = 'vertical') {
  let node;
  try {
    switch (c?.type) {
      case 'box':
        node = renderBox(c, ctx);
        break;
      case 'text':
        node = renderText(c, ctx, parentLayout);
        break;
      case 'button':
        node = renderButton(c, ctx);
        break;
      case 'separator':
        return renderSeparator(c, parentLayout);
      case 'filler':
        node = el('div', 'flex-filler');
        node.style.flex = `${typeof c.flex === 'number' ? c.flex : 1} 1 0%`;
        return node;
      case 'spacer': {
        node = el('div', 'flex-spacer');
        node.style[parentLayout === 'vertical' ? 'height' : 'width'] = length(c.size ?? 'md', SPACES) ?? '8px';
        return node;
      }
      case 'image':
        node = renderImage(c, ctx);
        break;
      case 'icon':
        return renderIcon(c);
      case 'video':
        node = unknown('動画');
        break;
      default:
        node = unknown(text(c?.type) || '不明');
    }
  } catch {
    node = unknown(text(c?.type) || '不明');
  }
  applyFlex(node, c ?? {}, parentLayout);
  return node;
}

const PADDING_KEYS = ['paddingAll', 'paddingTop', 'paddingBottom', 'paddingStart', 'paddingEnd'];

/** A section is its root box; LINE pads that box by default unless the JSON says otherwise. */
function renderSection(name, component, styles, ctx) {
  const section = el('div', `flex-section flex-${name}`);
  const style = styles?.[name];
  if (typeof style?.backgroundColor === 'string') section.style.backgroundColor = style.backgroundColor;
  if (style?.separator === true) {
    section.classList.add('has-separator');
    if (typeof style.separatorColor === 'string') section.style.borderTopColor = style.separatorColor;
  }
  const node = renderComponent(component, ctx, 'vertical');
  if (component?.type === 'box' && !PADDING_KEYS.some((k) => component[k] !== undefined)) node.style.padding = SECTION_PADDING[name];
  section.appendChild(node);
  return section;
}

export function renderBubble(bubble, ctx) {
  const node = el('div', 'flex-bubble');
  node.style.maxWidth = `${BUBBLE_WIDTHS[bubble.size] ?? BUBBLE_WIDTHS.mega}px`;
  if (bubble.direction === 'rtl') node.dir = 'rtl';
  for (const name of ['header', 'hero', 'body', 'footer']) if (bubble[name]) node.appendChild(renderSection(name, bubble[name], bubble.styles, ctx));
  return bindAction(node, bubble.action, ctx);
}

function renderFlexContainer(contents, ctx) {
  if (contents?.type === 'bubble') return renderBubble(contents, ctx);
  if (contents?.type === 'carousel') {
    const list = el('div', 'flex-carousel');
    list.setAttribute('role', 'group');
    list.setAttribute('aria-label', 'カルーセル（横にスクロールできます）');
    list.tabIndex = 0;
    for (const b of Array.isArray(contents.contents) ? contents.contents : []) list.appendChild(renderBubble(b, ctx));
    return list;
  }
  return unknown(`Flex ${text(contents?.type) || '不明'}`);
}

function renderTemplate(message, ctx) {
  const card = el('div', 'template-card');
  card.appendChild(el('p', 'template-kind', `テンプレートメッセージ（${text(message.template?.type) || '不明'}）`));
  const t = message.template ?? {};
  const columns = Array.isArray(t.columns) ? t.columns : [t];
  for (const column of columns) {
    const col = el('div', 'template-column');
    if (text(column.title)) col.appendChild(el('p', 'template-title', column.title));
    col.appendChild(el('p', 'template-text', text(column.text) || text(message.altText)));
    const actions = Array.isArray(column.actions) ? column.actions : column.action ? [column.action] : [];
    for (const action of actions) col.appendChild(actionButton(action, 'template-action', ctx));
    card.appendChild(col);
  }
  return card;
}

/** Stickers cannot be fetched from LINE here; every sticker shows as the same local picture. */
export function stickerImage() {
  const img = el('img', 'bubble-sticker');
  img.src = '/simulator/assets/sticker.svg';
  img.alt = 'スタンプ';
  return img;
}

export function locationCard(title, address) {
  const card = el('div', 'bubble bubble-location');
  card.append(el('strong', '', `位置情報: ${title}`), el('span', '', address));
  return card;
}

/**
 * One message as a chat element. `ctx.onAction(action)` is called when a postback/message/other action is
 * tapped; uri actions are plain links.
 */
export function renderMessage(message, ctx) {
  switch (message?.type) {
    case 'text':
      return el('div', 'bubble bubble-text', text(message.text));
    case 'flex':
      return renderFlexContainer(message.contents, ctx);
    case 'template':
      return renderTemplate(message, ctx);
    case 'image': {
      const src = safeImageUrl(message.previewImageUrl) ?? safeImageUrl(message.originalContentUrl);
      if (!src) return el('div', 'bubble bubble-placeholder', '［画像］');
      const img = el('img', 'bubble-image');
      img.src = src;
      img.alt = '画像';
      return img;
    }
    case 'sticker':
      return stickerImage();
    case 'location':
      return locationCard(text(message.title), text(message.address));
    default:
      return el('div', 'bubble bubble-placeholder', `［未対応のメッセージ: ${text(message?.type) || '不明'}］${text(message?.altText)}`);
  }
}

/** Text read out for a message in the chat log (Flex cards are long; their altText is what LINE notifies with). */
export function altTextOf(message) {
  if (message?.type === 'text') return text(message.text);
  return text(message?.altText) || text(message?.type);
}
