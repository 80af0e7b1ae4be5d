import { describe, expect, it } from 'vitest';
import { linePath, niceCeiling, paceBars, timeMarks, timeSpans, trendDelta, trendPoints } from './charts';

describe('niceCeiling', () => {
  it('rounds up to 1, 2, 2.5, 5 or 10 times a power of ten', () => {
    expect(niceCeiling(143)).toBe(200);
    expect(niceCeiling(201)).toBe(250);
    expect(niceCeiling(3.2)).toBe(5);
    expect(niceCeiling(0.7)).toBe(1);
    expect(niceCeiling(1000)).toBe(1000);
  });

  it('never goes below the minimum', () => {
    expect(niceCeiling(12, 60)).toBe(100);
    expect(niceCeiling(0, 60)).toBe(100);
    expect(niceCeiling(Number.NaN)).toBe(1);
  });
});

describe('paceBars', () => {
  it('places a bar per minute, the last one clipped to the session', () => {
    const { bars, scale } = paceBars(
      [
        { t0: 0, wpm: 120 },
        { t0: 60, wpm: 150 },
        { t0: 120, wpm: 90 },
      ],
      150,
    );
    expect(scale).toBe(200);
    expect(bars.map((b) => b.x)).toEqual([0, 0.4, 0.8]);
    expect(bars[0]!.width).toBeCloseTo(0.4);
    expect(bars[2]!.width).toBeCloseTo(0.2);
    expect(bars.map((b) => b.height)).toEqual([0.6, 0.75, 0.45]);
  });

  it('drops points past the end and survives an unknown duration', () => {
    expect(paceBars([{ t0: 200, wpm: 100 }], 150).bars).toHaveLength(0);
    const { bars } = paceBars([{ t0: 0, wpm: 100 }], 0);
    expect(bars[0]!.width).toBeCloseTo(1);
  });
});

describe('time marks and spans', () => {
  it('turns times into fractions of the session', () => {
    expect(timeMarks([{ t0: 30, phrase: 'um' }, { t0: 90, phrase: 'uh' }, { t0: 200, phrase: 'like' }], 120).map((m) => [m.phrase, m.x])).toEqual([
      ['um', 0.25],
      ['uh', 0.75],
    ]);
    expect(timeMarks([{ t0: 1 }], 0)).toEqual([]);
  });

  it('clips spans to the session and drops empty ones', () => {
    const spans = timeSpans(
      [
        { t0: 10, t1: 20 },
        { t0: 95, t1: 130 },
        { t0: 150, t1: 160 },
      ],
      100,
    );
    expect(spans.map((s) => [s.x, s.width])).toEqual([
      [0.1, 0.1],
      [0.95, expect.closeTo(0.05)],
    ]);
  });
});

describe('trends', () => {
  const pts = [
    { session_id: 'a', date: '2026-01-01T00:00:00Z', value: 1 },
    { session_id: 'b', date: '2026-01-05T00:00:00Z', value: 2 },
    { session_id: 'c', date: '2026-02-01T00:00:00Z', value: 4 },
  ];

  it('spaces sessions evenly and maps values bottom to top', () => {
    const laid = trendPoints(pts, 110, 50, 4, 5);
    expect(laid.map((p) => p.x)).toEqual([5, 55, 105]);
    expect(laid.map((p) => p.y)).toEqual([5 + 40 * 0.75, 5 + 40 * 0.5, 5]);
    expect(laid.map((p) => p.sessionId)).toEqual(['a', 'b', 'c']);
  });

  it('centres a single point and clamps values to the scale', () => {
    const [only] = trendPoints([{ session_id: 'x', date: '', value: 9 }], 100, 50, 4, 0);
    expect(only!.x).toBe(50);
    expect(only!.y).toBe(0);
  });

  it('draws a path and says the change', () => {
    expect(linePath([{ x: 1, y: 2 }, { x: 3.25, y: 4 }])).toBe('M1.0 2.0 L3.3 4.0');
    expect(linePath([])).toBe('');
    expect(trendDelta(pts)).toBe(3);
    expect(trendDelta(pts.slice(0, 1))).toBeNull();
  });
});
