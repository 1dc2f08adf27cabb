import type { z } from 'zod';

/** A JSON record read back from storage, or undefined when it is missing, not JSON, or not of this shape. */
export function parseStored<S extends z.ZodTypeAny>(schema: S, raw: string | null | undefined): z.infer<S> | undefined {
  if (!raw) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? (parsed.data as z.infer<S>) : undefined;
  } catch {
    return undefined;
  }
}
