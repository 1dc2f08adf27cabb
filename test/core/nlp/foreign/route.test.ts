import { describe, expect, it } from 'vitest';
import { understandingLanguage } from '../../../../src/core/nlp/foreign/route.js';

describe('understandingLanguage: which models read a message', () => {
  it('reads kana and kanji-only queries as Japanese', () => {
    expect(understandingLanguage('保育園に入りたい')).toBe('ja');
    expect(understandingLanguage('病児保育料金')).toBe('ja');
  });
  it('reads romaji as Japanese', () => {
    expect(understandingLanguage('hoikuen ni hairitai desu')).toBe('ja');
  });
  it('tells Chinese from kanji-only Japanese by its simplified forms, its comma or its everyday words', () => {
    expect(understandingLanguage('托儿所怎么报名')).toBe('zh');
    expect(understandingLanguage('孩子发烧，去哪看')).toBe('zh');
    expect(understandingLanguage('我想问你')).toBe('zh');
  });
  it('tells Vietnamese typed with or without diacritics', () => {
    expect(understandingLanguage('Con em bị sốt')).toBe('vi');
    expect(understandingLanguage('con em bi sot khong di hoc duoc')).toBe('vi');
  });
  it('leaves Tagalog and Portuguese to the Japanese models, which learned them', () => {
    expect(understandingLanguage('Pwede po ba makausap ang staff')).toBe('ja');
  });
  it('reads other Latin text as English', () => {
    expect(understandingLanguage('where can I apply for daycare')).toBe('en');
  });
});
