import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody, type UploadedFile } from '../../../src/adapters/console/multipart.js';

/** A real HTTP server with the middleware, answering with what it read (file bytes as numbers). */
let server: Server;
let url: string;
beforeAll(async () => {
  const app = express();
  app.post('/up', multipartBody({ fileBytes: 1024, fields: 3, fieldBytes: 256 }), (req, res) => {
    const body = req.body as Record<string, string | UploadedFile>;
    res.json(Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : { name: v.name, bytes: [...v.bytes] }])));
  });
  app.use((err: Error & { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(err.status ?? 500).json({ error: err.message });
  });
  server = await new Promise<Server>((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/up`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const post = (body: FormData | string, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', body, headers });

describe('multipart uploads (busboy)', () => {
  it('reads text fields and one file as the browser sends them, bytes untouched', async () => {
    const form = new FormData();
    form.set('_csrf', 'token-1');
    form.set('message', '料金を更新');
    form.set('file', new Blob([new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0x0d, 0x0a])]), '回答の表.csv');
    const res = await post(form);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ _csrf: 'token-1', message: '料金を更新', file: { name: '回答の表.csv', bytes: [0xef, 0xbb, 0xbf, 0x41, 0x0d, 0x0a] } });
  });

  it('refuses a file, a field or a number of parts over the limits with 413, and a broken body with 400', async () => {
    const big = new FormData();
    big.set('file', new Blob([new Uint8Array(2048)]), 'big.csv');
    expect((await post(big)).status).toBe(413);
    const long = new FormData();
    long.set('message', 'あ'.repeat(200));
    expect((await post(long)).status).toBe(413);
    const many = new FormData();
    for (let i = 0; i < 5; i++) many.set(`f${i}`, 'x');
    expect((await post(many)).status).toBe(413);
    expect((await post('a=b', { 'content-type': 'multipart/form-data' })).status).toBe(400);
  });
});
