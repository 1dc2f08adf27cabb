import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { selfBaseUrl } from '../../../src/adapters/simulator/deliver.js';

const req = (localAddress: string | undefined, localPort: number | undefined) =>
  ({ socket: { localAddress, localPort }, headers: { host: 'evil.example:80' } }) as unknown as Request;

describe('selfBaseUrl', () => {
  it('is the address the request arrived on, never the Host header', () => {
    expect(selfBaseUrl(req('127.0.0.1', 3000))).toBe('http://127.0.0.1:3000');
    expect(selfBaseUrl(req('::ffff:192.168.1.5', 8080))).toBe('http://192.168.1.5:8080');
    expect(selfBaseUrl(req('::1', 3000))).toBe('http://[::1]:3000');
  });

  it('refuses a socket without an address', () => {
    expect(() => selfBaseUrl(req(undefined, undefined))).toThrow(/local address/);
  });
});
