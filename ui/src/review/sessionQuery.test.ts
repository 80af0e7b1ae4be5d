import { describe, expect, it } from 'vitest';
import { EMPTY_QUERY, levelStrip, normaliseQuery, sameQuery } from './sessionQuery';

describe('normaliseQuery', () => {
  it('drops blank text and keeps a level only with a dimension', () => {
    expect(normaliseQuery({ ...EMPTY_QUERY, text: '   ', below_level: 3 })).toEqual(EMPTY_QUERY);
    expect(normaliseQuery({ ...EMPTY_QUERY, text: ' vector store ', dimension: 'tradeoffs', below_level: null })).toEqual({
      ...EMPTY_QUERY,
      text: 'vector store',
      dimension: 'tradeoffs',
      below_level: 2,
    });
    expect(normaliseQuery({ ...EMPTY_QUERY, prompt_id: '', from: '', to: '2026-01-31' }).to).toBe('2026-01-31');
  });

  it('compares queries by what they ask', () => {
    expect(sameQuery({ ...EMPTY_QUERY, text: 'x ' }, { ...EMPTY_QUERY, text: 'x' })).toBe(true);
    expect(sameQuery({ ...EMPTY_QUERY, text: 'x' }, { ...EMPTY_QUERY, text: 'y' })).toBe(false);
  });
});

describe('levelStrip', () => {
  it('orders levels by the rubric and leaves gaps for missing ones', () => {
    expect(
      levelStrip([
        { id: 'communication', level: 3 },
        { id: 'requirements', level: 1 },
      ]),
    ).toEqual([1, null, null, null, null, null, null, 3]);
  });
});
