import { MachineTranslationError } from '../../app/translation/machine-translator.js';

export interface HttpTranslatorOptions {
  apiKey: string;
  /** The service's address; a local stub's in tests. */
  baseUrl: string;
  /** A call unanswered after this long is abandoned. Default 8 s: staff wait for it in the console. */
  timeoutMs?: number;
}

/** Posts JSON and returns the parsed answer, turning every failure into a MachineTranslationError without the texts. */
export async function postJson(url: string, headers: Record<string, string>, body: unknown, timeoutMs: number): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'kosodate-concierge', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const timedOut = (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError';
    throw new MachineTranslationError(timedOut ? `no answer within ${timeoutMs} ms` : 'could not reach the translation service', undefined, true);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new MachineTranslationError(`translation service answered ${res.status}`, res.status, res.status === 429 || res.status >= 500);
  }
  try {
    return await res.json();
  } catch {
    throw new MachineTranslationError('translation service answered something that is not JSON', res.status, false);
  }
}
