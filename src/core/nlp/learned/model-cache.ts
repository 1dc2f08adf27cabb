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
  /** What training learned besides weights (the kanji spelling of each reading), as text. */
  getText?(key: string): string | undefined;
  setText?(key: string, text: string): void;
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
    let fd: number;
    try {
      fd = fs.openSync(path.join(this.dir, `${key}.bin`), 'r');
    } catch {
      return undefined;
    }
    try {
      // Read piece by piece into the model's own arrays (LinearModel.read), not the whole file into a Buffer first.
      let at = 0;
      return LinearModel.read(fs.fstatSync(fd).size, (into) => {
        for (let off = 0; off < into.length;) {
          const n = fs.readSync(fd, into, off, into.length - off, at + off);
          if (n === 0) throw new Error('model file is truncated');
          off += n;
        }
        at += into.length;
      });
    } catch {
      return undefined; // damaged: train again (and overwrite)
    } finally {
      fs.closeSync(fd);
    }
  }

  set(key: string, model: LinearModel): void {
    this.write(`${key}.bin`, model.toBytes());
  }

  getText(key: string): string | undefined {
    try {
      return fs.readFileSync(path.join(this.dir, `${key}.json`), 'utf8');
    } catch {
      return undefined;
    }
  }

  setText(key: string, text: string): void {
    this.write(`${key}.json`, text);
  }

  private write(name: string, data: Buffer | string): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const file = path.join(this.dir, name);
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, file);
    } catch {
      // A read-only node_modules (the Docker image's runtime user) only costs training time at the next start.
    }
  }
}
