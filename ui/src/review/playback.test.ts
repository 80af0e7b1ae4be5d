import { describe, expect, it } from 'vitest';
import { clampTime, formatSpeed, keyAction, segmentAt, SPEEDS, stepSpeed, type KeyLike } from './playback';

const segs = [
  { t0: 0.5, t1: 4 },
  { t0: 6, t1: 9 },
  { t0: 9, t1: 12.5 },
  { t0: 20, t1: 25 },
];

describe('segmentAt', () => {
  it('is -1 before the first segment and for no segments', () => {
    expect(segmentAt(segs, 0)).toBe(-1);
    expect(segmentAt(segs, 0.49)).toBe(-1);
    expect(segmentAt([], 3)).toBe(-1);
    expect(segmentAt(segs, Number.NaN)).toBe(-1);
  });

  it('finds the segment being spoken, the later one on a shared boundary', () => {
    expect(segmentAt(segs, 0.5)).toBe(0);
    expect(segmentAt(segs, 3.99)).toBe(0);
    expect(segmentAt(segs, 8.999)).toBe(1);
    expect(segmentAt(segs, 9)).toBe(2);
    expect(segmentAt(segs, 24)).toBe(3);
  });

  it('keeps the last segment said during a pause and after the end', () => {
    expect(segmentAt(segs, 5)).toBe(0);
    expect(segmentAt(segs, 15)).toBe(2);
    expect(segmentAt(segs, 3600)).toBe(3);
  });

  it('agrees with a linear scan on a long session', () => {
    const long = Array.from({ length: 1200 }, (_, i) => ({ t0: i * 3, t1: i * 3 + 2.5 }));
    for (const t of [0, 1, 2.7, 3, 1000.1, 3598.9, 3600, 5000]) {
      let expected = -1;
      long.forEach((s, i) => {
        if (s.t0 <= t) expected = i;
      });
      expect(segmentAt(long, t)).toBe(expected);
    }
  });
});

describe('speeds', () => {
  it('steps along the ladder and stops at its ends', () => {
    expect(stepSpeed(1, 1)).toBe(1.25);
    expect(stepSpeed(1, -1)).toBe(0.75);
    expect(stepSpeed(0.75, -1)).toBe(0.75);
    expect(stepSpeed(2, 1)).toBe(2);
    expect(SPEEDS).toEqual([0.75, 1, 1.25, 1.5, 2]);
  });

  it('starts from the nearest speed when off the ladder', () => {
    expect(stepSpeed(1.1, 1)).toBe(1.25);
    expect(stepSpeed(1.9, -1)).toBe(1.5);
  });

  it('formats as a multiplier', () => {
    expect(formatSpeed(1)).toBe('1×');
    expect(formatSpeed(1.25)).toBe('1.25×');
    expect(formatSpeed(0.75)).toBe('0.75×');
  });
});

describe('clampTime', () => {
  it('keeps seeks inside the recording', () => {
    expect(clampTime(-3, 60)).toBe(0);
    expect(clampTime(75, 60)).toBe(60);
    expect(clampTime(12.5, 60)).toBe(12.5);
    expect(clampTime(Number.NaN, 60)).toBe(0);
    // Duration not known yet: only the lower bound applies.
    expect(clampTime(75, 0)).toBe(75);
  });
});

describe('keyAction', () => {
  const key = (k: string, target: KeyLike['target'] = { tagName: 'BODY' }, mods: Partial<KeyLike> = {}): KeyLike => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    target,
    ...mods,
  });

  it('maps Space, the arrows and the brackets', () => {
    expect(keyAction(key(' '))).toEqual({ kind: 'toggle' });
    expect(keyAction(key('ArrowLeft'))).toEqual({ kind: 'skip', seconds: -5 });
    expect(keyAction(key('ArrowRight'))).toEqual({ kind: 'skip', seconds: 5 });
    expect(keyAction(key('['))).toEqual({ kind: 'speed', direction: -1 });
    expect(keyAction(key(']'))).toEqual({ kind: 'speed', direction: 1 });
    expect(keyAction(key('a'))).toBeNull();
  });

  it('toggles with Space on a focused transcript button too', () => {
    expect(keyAction(key(' ', { tagName: 'BUTTON' }))).toEqual({ kind: 'toggle' });
  });

  it('does nothing while typing or with a modifier', () => {
    expect(keyAction(key(' ', { tagName: 'TEXTAREA' }))).toBeNull();
    expect(keyAction(key('ArrowLeft', { tagName: 'INPUT', type: 'search' }))).toBeNull();
    expect(keyAction(key('[', { tagName: 'INPUT', type: 'date' }))).toBeNull();
    expect(keyAction(key(']', { tagName: 'DIV', isContentEditable: true }))).toBeNull();
    expect(keyAction(key('ArrowRight', { tagName: 'SELECT' }))).toBeNull();
    expect(keyAction(key('k', { tagName: 'BODY' }, { ctrlKey: true }))).toBeNull();
    expect(keyAction(key(' ', { tagName: 'BODY' }, { altKey: true }))).toBeNull();
  });

  it('leaves the whiteboard its own keys and works on checkboxes', () => {
    const onBoard = { tagName: 'CANVAS', closest: (s: string) => (s === '.excalidraw' ? {} : null) };
    expect(keyAction(key(' ', onBoard))).toBeNull();
    expect(keyAction(key(']', { tagName: 'INPUT', type: 'checkbox' }))).toEqual({ kind: 'speed', direction: 1 });
    expect(keyAction(key(' ', null))).toEqual({ kind: 'toggle' });
  });
});
