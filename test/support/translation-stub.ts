import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for DeepL (/v2/translate) and Google Cloud Translation v2 (/language/translate/v2). It
 * "translates" by prefixing the target code, `[VI] …`, so tests can see which text went where. Records every call;
 * `mode` makes it refuse (a status), hang (never answer) or answer late.
 */
export interface TranslationCall {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: { text?: string[]; target_lang?: string; source_lang?: string; q?: string[]; target?: string; source?: string; format?: string };
}
export type TranslationStubMode = { kind: 'ok' } | { kind: 'status'; status: number } | { kind: 'hang' } | { kind: 'late'; delayMs: number };

export interface TranslationStub {
  baseUrl: string;
  calls: TranslationCall[];
  mode: TranslationStubMode;
  close(): Promise<void>;
}

export const stubTranslation = (target: string, text: string) => `[${target}] ${text}`;

export async function startTranslationStub(): Promise<TranslationStub> {
  const calls: TranslationCall[] = [];
  const hanging = new Set<http.ServerResponse>();
  const stub = { calls, mode: { kind: 'ok' } as TranslationStubMode };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as TranslationCall['body'];
      calls.push({ path: req.url ?? '', headers: req.headers, body });
      const mode = stub.mode;
      if (mode.kind === 'hang') {
        hanging.add(res);
        return;
      }
      if (mode.kind === 'status') {
        res.writeHead(mode.status, { 'content-type': 'application/json' }).end('{"message":"refused"}');
        return;
      }
      const answer =
        req.url === '/v2/translate'
          ? {
              translations: (body.text ?? []).map((t) => ({
                detected_source_language: body.source_lang ?? 'JA',
                text: stubTranslation(body.target_lang ?? '', t),
              })),
            }
          : { data: { translations: (body.q ?? []).map((t) => ({ translatedText: stubTranslation(body.target ?? '', t) })) } };
      const send = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      if (mode.kind === 'late') setTimeout(send, mode.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(stub, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
