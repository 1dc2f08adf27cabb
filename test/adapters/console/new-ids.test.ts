import { describe, expect, it } from 'vitest';
import { nextId } from '../../../src/adapters/console/new-ids.js';

describe('ids for what staff add', () => {
  it('numbers from 1 and skips the ids already taken, gaps included', () => {
    expect(nextId('facility', [])).toBe('facility-1');
    expect(nextId('facility', ['facility-1', 'facility-2', 'shinkawa-kodomoen'])).toBe('facility-3');
    expect(nextId('facility', ['facility-2'])).toBe('facility-1');
  });
});
