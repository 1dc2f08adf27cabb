import type { NextFunction, Request, Response } from 'express';
import busboy from 'busboy';

export interface UploadedFile {
  name: string;
  bytes: Buffer;
}

export interface MultipartLimits {
  /** The largest file accepted, in bytes. */
  fileBytes: number;
  /** Text fields accepted (a spreadsheet upload sends three: _csrf, message, action). */
  fields: number;
  /** The longest text field, in bytes. */
  fieldBytes: number;
}

const DEFAULT_LIMITS: MultipartLimits = { fileBytes: 2 * 1024 * 1024, fields: 20, fieldBytes: 64 * 1024 };

/** Why an upload was refused: a status and words staff can act on (the body never echoes what was sent). */
class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Reads a multipart/form-data request of text fields and at most one file — all a spreadsheet upload needs — with
 * busboy (the parser under multer), refusing what is over the limits instead of buffering it.
 */
export function readMultipart(req: Request, limits: MultipartLimits = DEFAULT_LIMITS): Promise<Record<string, string | UploadedFile>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: limits.fileBytes, fields: limits.fields, fieldSize: limits.fieldBytes, parts: limits.fields + 1 },
        defParamCharset: 'utf8',
      });
    } catch {
      return reject(new UploadError('malformed upload', 400));
    }
    const out: Record<string, string | UploadedFile> = {};
    let refused: UploadError | undefined;
    const refuse = (e: UploadError) => {
      refused ??= e;
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) refuse(new UploadError('field too large', 413));
      else out[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => refuse(new UploadError('file too large', 413)));
      stream.on('close', () => {
        out[name] = { name: info.filename, bytes: Buffer.concat(chunks) };
      });
    });
    for (const event of ['filesLimit', 'fieldsLimit', 'partsLimit'] as const) parser.on(event, () => refuse(new UploadError('too many parts', 413)));
    parser.on('error', () => reject(new UploadError('malformed upload', 400)));
    parser.on('close', () => (refused ? reject(refused) : resolve(out)));
    req.pipe(parser);
  });
}

/** Middleware: parses an upload into req.body; anything that is not multipart passes untouched. */
export function multipartBody(limits: MultipartLimits = DEFAULT_LIMITS) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    readMultipart(req, limits).then(
      (body) => {
        req.body = body;
        next();
      },
      (err: unknown) => next(err instanceof UploadError ? Object.assign(new Error(err.message), { status: err.status }) : err),
    );
  };
}
