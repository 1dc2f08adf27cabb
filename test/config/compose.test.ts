import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '../..');
type Service = { ports?: string[]; command?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }> };
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };

describe('docker-compose.yml', () => {
  const { app, redis } = compose.services;

  it('publishes the app on loopback only, with a port for each instance of --scale app=2', () => {
    const ports = app!.ports!;
    expect(ports).toHaveLength(1);
    const m = /^127\.0\.0\.1:(\d+)-(\d+):3000$/.exec(ports[0]!);
    expect(m).not.toBeNull();
    expect(Number(m![2]) - Number(m![1]) + 1).toBeGreaterThanOrEqual(2);
  });

  it('keeps Redis unpublished, persistent (AOF) and healthy before the app starts', () => {
    expect(redis!.ports).toBeUndefined();
    expect(redis!.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(app!.depends_on?.redis?.condition).toBe('service_healthy');
    expect(app!.environment?.REDIS_URL).toContain('redis://redis:6379');
  });
});
