import type { ConsoleClient } from './console.js';

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescape(m[1]!) : undefined;
};

/** What a browser would submit from the first form on a page whose action is `action` (inputs, checked boxes, textareas, selects). */
export function formFields(page: string, action: string): [string, string][] {
  const start = page.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form with action ${action}`);
  const form = page.slice(start, page.indexOf('</form>', start));
  const out: [string, string][] = [];
  for (const m of form.matchAll(/<input\b[^>]*>/g)) {
    const tag = m[0];
    const name = attr(tag, 'name');
    if (!name) continue;
    const type = attr(tag, 'type') ?? 'text';
    if (type === 'checkbox' || type === 'radio') {
      if (/\schecked\b/.test(tag)) out.push([name, attr(tag, 'value') ?? 'on']);
    } else if (type !== 'file') out.push([name, attr(tag, 'value') ?? '']);
  }
  for (const m of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attr(m[1]!, 'name');
    const options = [...m[2]!.matchAll(/<option\b[^>]*>/g)].map((o) => o[0]);
    // The selected option, or the first one, as a browser submits it.
    const chosen = options.find((o) => /\sselected\b/.test(o)) ?? options[0];
    if (name && chosen) out.push([name, attr(chosen, 'value') ?? '']);
  }
  for (const m of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attr(m[1]!, 'name');
    // As a browser reads it: one line break right after the start tag is not part of the value.
    if (name) out.push([name, unescape(m[2]!).replace(/^\r?\n/, '')]);
  }
  return out;
}

/** Replaces (or adds) one field; `null` removes every field of that name. */
export function setField(fields: [string, string][], name: string, value: string | null): [string, string][] {
  const rest = fields.filter(([n]) => n !== name);
  return value === null ? rest : [...rest, [name, value]];
}

export async function postFields(client: ConsoleClient, path: string, fields: [string, string][]): Promise<{ res: Response; text: string }> {
  const res = await fetch(client.base + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: client.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  return { res, text: await res.text() };
}

/** Uploads a spreadsheet to the console's CSV import as its form does (multipart, with the page's form token). */
export async function uploadCsv(client: ConsoleClient, bytes: Buffer, name: string, message = 'テスト取り込み'): Promise<{ status: number; text: string }> {
  const page = await client.get('/console/kb/csv');
  const form = new FormData();
  form.set('_csrf', /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!);
  form.set('message', message);
  form.set('file', new Blob([new Uint8Array(bytes)], { type: 'text/csv' }), name);
  const res = await fetch(`${client.base}/console/kb/csv/import`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: client.cookieHeader() },
    body: form,
  });
  return { status: res.status, text: await res.text() };
}
