import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MachineTranslationError, translateBetween, type MachineTranslator } from '../../../src/app/translation/machine-translator.js';
import { DeepLTranslator } from '../../../src/adapters/translation/deepl.js';
import { GoogleTranslator } from '../../../src/adapters/translation/google.js';
import { defaultDirs, loadKnowledgeBase } from '../../../src/core/knowledge/load.js';
import { startTranslationStub, type TranslationStub } from '../../support/translation-stub.js';

const { kb } = loadKnowledgeBase(defaultDirs(path.resolve(import.meta.dirname, '../../..')));
let stub: TranslationStub;
beforeAll(async () => {
  stub = await startTranslationStub();
});
afterAll(() => stub.close());

// A generous timeout where an answer is expected (the machine is shared); a short one where it must give up.
const providers: [string, (timeoutMs?: number) => MachineTranslator][] = [
  ['DeepL', (timeoutMs = 10_000) => new DeepLTranslator({ apiKey: 'key-1', baseUrl: stub.baseUrl, timeoutMs })],
  ['Google', (timeoutMs = 10_000) => new GoogleTranslator({ apiKey: 'key-1', baseUrl: stub.baseUrl, timeoutMs })],
];

describe.each(providers)('%s translator', (name, make) => {
  it('sends the texts with the key in a header and returns one translation per text, in order', async () => {
    stub.mode = { kind: 'ok' };
    stub.calls.length = 0;
    const out = await translateBetween(make(), kb!.languages, ['お待たせしました。', '明日お電話します。'], 'ja', 'vi');
    const code = name === 'DeepL' ? 'VI' : 'vi';
    expect(out).toEqual({ ok: true, texts: [`[${code}] お待たせしました。`, `[${code}] 明日お電話します。`] });
    const [call] = stub.calls;
    if (name === 'DeepL') {
      expect(call!.path).toBe('/v2/translate');
      expect(call!.headers.authorization).toBe('DeepL-Auth-Key key-1');
      expect(call!.body).toMatchObject({ target_lang: 'VI', source_lang: 'JA' });
    } else {
      expect(call!.path).toBe('/language/translate/v2');
      expect(call!.headers['x-goog-api-key']).toBe('key-1');
      expect(call!.path).not.toContain('key-1');
      expect(call!.body).toMatchObject({ target: 'vi', source: 'ja', format: 'text' });
    }
  });

  it('says a refusal is worth retrying only for 429 and 5xx', async () => {
    for (const [status, retryable] of [
      [429, true],
      [503, true],
      [403, false],
    ] as const) {
      stub.mode = { kind: 'status', status };
      const err = await make()
        .translate(['こんにちは'], 'EN-US')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MachineTranslationError);
      expect(err).toMatchObject({ status, retryable });
      expect((err as Error).message).not.toContain('こんにちは');
    }
  });

  it('gives up on a hung service after its timeout, and on a late answer too', async () => {
    for (const mode of [{ kind: 'hang' as const }, { kind: 'late' as const, delayMs: 5_000 }]) {
      stub.mode = mode;
      const err = await make(500)
        .translate(['こんにちは'], 'EN-US')
        .catch((e: unknown) => e);
      // A late answer (5 s) would be a success without the 500 ms timeout; a hung one would never settle.
      expect(err).toMatchObject({ retryable: true, status: undefined });
    }
    stub.mode = { kind: 'ok' };
  });
});

describe('translateBetween', () => {
  it('says there is no provider, or that a language has no machine translation (やさしい日本語), without calling out', async () => {
    stub.calls.length = 0;
    expect(await translateBetween(undefined, kb!.languages, ['x'], 'ja', 'en')).toEqual({ ok: false, why: 'no_provider' });
    const deepl = new DeepLTranslator({ apiKey: 'k', baseUrl: stub.baseUrl });
    expect(await translateBetween(deepl, kb!.languages, ['x'], 'ja', 'ja-easy')).toEqual({ ok: false, why: 'unsupported' });
    expect(stub.calls).toEqual([]);
  });

  it('picks the free DeepL endpoint for a free-plan key', () => {
    expect(DeepLTranslator.baseUrlFor('abc:fx')).toBe('https://api-free.deepl.com');
    expect(DeepLTranslator.baseUrlFor('abc')).toBe('https://api.deepl.com');
  });
});
