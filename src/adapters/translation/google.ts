import { z } from 'zod';
import { MachineTranslationError, type MachineTranslator } from '../../app/translation/machine-translator.js';
import { postJson, type HttpTranslatorOptions } from './http-translator.js';

export const GOOGLE_TRANSLATE_BASE_URL = 'https://translation.googleapis.com';

const Answer = z.object({ data: z.object({ translations: z.array(z.object({ translatedText: z.string() })) }) });

/** Google Cloud Translation, Basic edition (v2), with an API key; `format: text` so nothing comes back HTML-escaped. */
export class GoogleTranslator implements MachineTranslator {
  readonly provider = 'google' as const;
  constructor(private readonly opts: HttpTranslatorOptions) {}

  async translate(texts: readonly string[], target: string, source?: string): Promise<string[]> {
    if (!texts.length) return [];
    const raw = await postJson(
      `${this.opts.baseUrl.replace(/\/$/, '')}/language/translate/v2`,
      // The key goes in a header rather than the query string, so it never lands in a proxy's access log.
      { 'x-goog-api-key': this.opts.apiKey },
      { q: texts, target, format: 'text', ...(source ? { source } : {}) },
      this.opts.timeoutMs ?? 8_000,
    );
    const parsed = Answer.safeParse(raw);
    if (!parsed.success || parsed.data.data.translations.length !== texts.length)
      throw new MachineTranslationError('Google answered in an unexpected shape', 200, false);
    return parsed.data.data.translations.map((t) => t.translatedText);
  }
}
