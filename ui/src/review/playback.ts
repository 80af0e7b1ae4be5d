// Pure helpers for the Review player: which segment is being spoken, the speed ladder, and
// which key does what. No React, no wavesurfer. Unit-tested in playback.test.ts.
import type { Segment } from '../bindings/Segment';
import { isTypingTarget, type KeyTarget } from '../shortcuts/shortcuts';

/** The playback speeds offered, slowest first. */
export const SPEEDS = [0.75, 1, 1.25, 1.5, 2] as const;

/** How far the arrow keys jump, in seconds. */
export const ARROW_STEP_S = 5;

/**
 * The index of the segment being spoken at `t`, or of the last one that started before `t`
 * (so the highlight stays on the sentence just said during a pause instead of flickering
 * off); -1 before the first segment. Segments are in time order; binary search, because a
 * 60-minute session has ~1,000 segments and this runs on every time update.
 */
export function segmentAt(segments: readonly Pick<Segment, 't0' | 't1'>[], t: number): number {
  if (!Number.isFinite(t)) return -1;
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid]!.t0 <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** The next speed up (`+1`) or down (`-1`) the ladder, staying at the ends. */
export function stepSpeed(current: number, direction: 1 | -1): number {
  let index = SPEEDS.findIndex((s) => Math.abs(s - current) < 1e-6);
  if (index < 0) {
    // Not on the ladder: start from the nearest speed.
    index = SPEEDS.reduce((best, s, i) => (Math.abs(s - current) < Math.abs(SPEEDS[best]! - current) ? i : best), 0);
  }
  const next = Math.min(SPEEDS.length - 1, Math.max(0, index + direction));
  return SPEEDS[next]!;
}

/** A seek target kept inside the recording. */
export function clampTime(t: number, duration: number): number {
  if (!Number.isFinite(t) || t < 0) return 0;
  if (Number.isFinite(duration) && duration > 0 && t > duration) return duration;
  return t;
}

export type PlayerAction =
  | { kind: 'toggle' }
  | { kind: 'skip'; seconds: number }
  | { kind: 'speed'; direction: 1 | -1 };

/** The subset of a KeyboardEvent the mapping needs (so tests need no DOM). */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The element that has focus when the key is pressed. */
  target: KeyTarget | null;
}

// Inputs that are not text but use the arrow keys themselves (the date filters in Review).
const ARROW_INPUT_TYPES = new Set(['date', 'datetime-local', 'month', 'week', 'time', 'range']);

function ownsArrowKeys(target: KeyTarget | null): boolean {
  return (target?.tagName ?? '').toUpperCase() === 'INPUT' && ARROW_INPUT_TYPES.has((target?.type ?? '').toLowerCase());
}

/**
 * Space plays or pauses, the arrows jump 5 s, `[` and `]` slow down and speed up. Nothing
 * while typing or on the whiteboard (the app-wide rule in
 * shortcuts.ts) and nothing with a modifier (Ctrl+K is the search box's). Space toggles even
 * when a transcript line or evidence button has focus (after a click it usually does), as in
 * media players; Enter still activates the focused button.
 */
export function keyAction(e: KeyLike): PlayerAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (isTypingTarget(e.target) || ownsArrowKeys(e.target)) return null;
  switch (e.key) {
    case ' ':
    case 'Spacebar':
      return { kind: 'toggle' };
    case 'ArrowLeft':
      return { kind: 'skip', seconds: -ARROW_STEP_S };
    case 'ArrowRight':
      return { kind: 'skip', seconds: ARROW_STEP_S };
    case '[':
      return { kind: 'speed', direction: -1 };
    case ']':
      return { kind: 'speed', direction: 1 };
    default:
      return null;
  }
}

/** A speed as the button shows it: `1×`, `1.25×`. */
export function formatSpeed(speed: number): string {
  return `${Number(speed.toFixed(2))}×`;
}
