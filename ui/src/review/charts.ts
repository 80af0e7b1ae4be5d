// Chart data shaping for the delivery strip (Review) and the trend charts (Progress): pure
// functions from the engine's numbers to positions in a chart's own coordinate space.
// The charts themselves are plain SVG (see DeliveryCharts.tsx for why). Tested in charts.test.ts.

/** A bar in a 0..1 x 0..1 box: x and width as fractions of the session, height of the scale. */
export interface Bar {
  x: number;
  width: number;
  height: number;
  value: number;
  t0: number;
}

/** A round upper bound for an axis: 1, 2, 2.5, 5 or 10 times a power of ten, at least `min`. */
export function niceCeiling(max: number, min = 1): number {
  const target = Math.max(min, Number.isFinite(max) ? max : 0);
  if (target <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(target));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= target - 1e-9) return step * power;
  }
  return 10 * power;
}

/**
 * Pace per minute as bars across the session. Each point covers [t0, t0 + 60) clipped to the
 * session; heights are fractions of `scale` (niceCeiling of the fastest minute, at least 60
 * wpm so a slow session does not look frantic).
 */
export function paceBars(pace: readonly { t0: number; wpm: number }[], durationS: number): { bars: Bar[]; scale: number } {
  const duration = durationS > 0 ? durationS : Math.max(60, ...pace.map((p) => p.t0 + 60));
  const scale = niceCeiling(Math.max(0, ...pace.map((p) => p.wpm)), 60);
  const bars = pace
    .filter((p) => p.t0 < duration && Number.isFinite(p.wpm))
    .map((p) => {
      const end = Math.min(duration, p.t0 + 60);
      return {
        x: p.t0 / duration,
        width: Math.max(0, end - p.t0) / duration,
        height: Math.min(1, Math.max(0, p.wpm / scale)),
        value: p.wpm,
        t0: p.t0,
      };
    });
  return { bars, scale };
}

/** Points in time as fractions of the session (filler marks), outside ones dropped. */
export function timeMarks<T extends { t0: number }>(items: readonly T[], durationS: number): (T & { x: number })[] {
  if (!(durationS > 0)) return [];
  return items.filter((i) => i.t0 >= 0 && i.t0 <= durationS).map((i) => ({ ...i, x: i.t0 / durationS }));
}

/** Spans of time (pauses) as fractions of the session, clipped to it. */
export function timeSpans<T extends { t0: number; t1: number }>(items: readonly T[], durationS: number): (T & { x: number; width: number })[] {
  if (!(durationS > 0)) return [];
  return items
    .map((i) => {
      const a = Math.max(0, Math.min(durationS, i.t0));
      const b = Math.max(a, Math.min(durationS, i.t1));
      return { ...i, x: a / durationS, width: (b - a) / durationS };
    })
    .filter((i) => i.width > 0);
}

/** A point of a trend chart, in the chart's pixel space. */
export interface TrendPoint {
  x: number;
  y: number;
  value: number;
  label: string;
  sessionId: string;
}

/**
 * A trend (oldest first) laid out over `width` x `height` with `pad` pixels inside: sessions
 * evenly spaced (practice is irregular; spacing by date would bunch a week's sessions into a
 * dot), values on [0, yMax] bottom to top.
 */
export function trendPoints(
  points: readonly { session_id: string; date: string; value: number }[],
  width: number,
  height: number,
  yMax: number,
  pad = 6,
): TrendPoint[] {
  const n = points.length;
  const innerW = Math.max(0, width - 2 * pad);
  const innerH = Math.max(0, height - 2 * pad);
  const top = yMax > 0 ? yMax : 1;
  return points.map((p, i) => ({
    x: pad + (n <= 1 ? innerW / 2 : (innerW * i) / (n - 1)),
    y: pad + innerH * (1 - Math.min(1, Math.max(0, p.value / top))),
    value: p.value,
    label: p.date,
    sessionId: p.session_id,
  }));
}

/** An SVG path through trend points ("M x y L x y ..."), empty for none. */
export function linePath(points: readonly { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
}

/** The change from the first to the last value of a trend, or null with fewer than two. */
export function trendDelta(points: readonly { value: number }[]): number | null {
  if (points.length < 2) return null;
  return points[points.length - 1]!.value - points[0]!.value;
}
