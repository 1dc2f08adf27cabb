import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LinearModel } from './linear-model.js';

/**
 * Trained models kept on disk by what they were trained from, so a start-up, a test file or a publish that trains on
 * the same data loads the weights in milliseconds instead of training again. Training is deterministic, so a cached
 * model is exactly the one training would give. Files are written under a temporary name and renamed into place:
 * concurrent processes never see half a model.
 */
export interface ModelCache {
  get(key: string): LinearModel | undefined;
  set(key: string, model: LinearModel): void;
}

/** Bump when the file layout changes (how features are made is part of every key: RECIPE in understanding.ts). */
export const MODEL_FORMAT = 2;

/** A key naming everything a model depends on. */
export function modelKey(parts: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify({ format: MODEL_FORMAT, parts }))
    .digest('hex')
    .slice(0, 32);
}

/** Beside the packages (node_modules/.cache/kosodate-model), as the dictionary cache is. */
export const defaultModelCacheDir = () => path.resolve('node_modules', '.cache', 'kosodate-model');

export class FileModelCache implements ModelCache {
  constructor(private readonly dir: string = defaultModelCacheDir()) {}

  get(key: string): LinearModel | undefined {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(this.dir, `${key}.bin`));
    } catch {
      return undefined;
    }
    try {
      return LinearModel.fromBytes(bytes);
    } catch {
      return undefined; // damaged: train again (and overwrite)
    }
  }

  set(key: string, model: LinearModel): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const file = path.join(this.dir, `${key}.bin`);
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      fs.writeFileSync(tmp, model.toBytes());
      fs.renameSync(tmp, file);
    } catch {
      // A read-only node_modules (the Docker image's runtime user) only costs training time at the next start.
    }
  }
}
