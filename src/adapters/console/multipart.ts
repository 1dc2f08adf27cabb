import type { NextFunction, Request, Response } from 'express';
import express from 'express';

export interface UploadedFile {
  name: string;
  bytes: Buffer;
}

/**
 * Reads a multipart/form-data body of text fields and at most one file — all a spreadsheet upload needs — into
 * `req.body` (`{ _csrf, message, file }`), so the CSRF check sees the form token as it does for other forms.
 */
export function parseMultipart(body: Buffer, contentType: string): Record<string, string | UploadedFile> | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) return undefined;
  const delimiter = Buffer.from(`--${b}`);
  const out: Record<string, string | UploadedFile> = {};
  let pos = body.indexOf(delimiter);
  if (pos < 0) return undefined;
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return out;
    pos += 2; // CRLF after the delimiter
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    const next = body.indexOf(delimiter, pos);
    if (headerEnd < 0 || next < 0 || headerEnd > next) return undefined;
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const content = body.subarray(headerEnd + 4, next - 2); // CRLF before the next delimiter
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    if (name) out[name] = filename !== undefined ? { name: filename, bytes: Buffer.from(content) } : content.toString('utf8');
    pos = next;
  }
}

/** Middleware: parses an upload of at most `limit` into req.body; anything else passes untouched. */
export function multipartBody(limit = '2mb') {
  const raw = express.raw({ type: 'multipart/form-data', limit });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    raw(req, res, (err?: unknown) => {
      if (err) return next(err);
      const parsed = Buffer.isBuffer(req.body) ? parseMultipart(req.body, req.get('content-type') ?? '') : undefined;
      if (!parsed) return next(Object.assign(new Error('malformed upload'), { status: 400 }));
      req.body = parsed;
      next();
    });
  };
}
