import { describe, expect, it } from 'vitest';
import { parseMultipart } from '../../../src/adapters/console/multipart.js';

describe('parseMultipart', () => {
  it('reads text fields and one file as the browser sends them', async () => {
    const form = new FormData();
    form.set('_csrf', 'token-1');
    form.set('message', '料金を更新');
    form.set('file', new Blob([new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0x0d, 0x0a])]), 'kb.csv');
    const req = new Request('http://x/', { method: 'POST', body: form });
    const body = Buffer.from(await req.arrayBuffer());
    const out = parseMultipart(body, req.headers.get('content-type')!);
    expect(out).toMatchObject({ _csrf: 'token-1', message: '料金を更新', file: { name: 'kb.csv' } });
    expect([...(out!.file as { bytes: Buffer }).bytes]).toEqual([0xef, 0xbb, 0xbf, 0x41, 0x0d, 0x0a]);
  });

  it('refuses a body that is not multipart', () => {
    expect(parseMultipart(Buffer.from('a=b'), 'multipart/form-data; boundary=zzz')).toBeUndefined();
    expect(parseMultipart(Buffer.from('a=b'), 'multipart/form-data')).toBeUndefined();
  });
});
