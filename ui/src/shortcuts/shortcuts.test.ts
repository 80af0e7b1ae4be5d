import { describe, expect, it } from 'vitest';
import { globalAction, isTypingTarget, SHORTCUT_GROUPS } from './shortcuts';

const key = (k: string, target: object | null = { tagName: 'BODY' }, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target,
  ...mods,
});

describe('global shortcuts', () => {
  it('? toggles the sheet and Ctrl+Enter starts or stops', () => {
    expect(globalAction(key('?'))).toBe('toggle-sheet');
    expect(globalAction(key('Enter', { tagName: 'BUTTON' }, { ctrlKey: true }))).toBe('start-stop');
    expect(globalAction(key('Enter'))).toBeNull();
    expect(globalAction(key('?', { tagName: 'BODY' }, { ctrlKey: true }))).toBeNull();
    expect(globalAction(key('m'))).toBe('mark');
    expect(globalAction(key('m', { tagName: 'INPUT', type: 'search' }))).toBeNull();
  });

  it('never fire while typing or drawing on the whiteboard', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'password' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    const onBoard = { tagName: 'CANVAS', closest: (s: string) => (s === '.excalidraw' ? {} : null) };
    expect(isTypingTarget(onBoard)).toBe(true);
    expect(globalAction(key('?', { tagName: 'TEXTAREA' }))).toBeNull();
    expect(globalAction(key('Enter', onBoard, { ctrlKey: true }))).toBeNull();
  });

  it('the sheet lists search, Study and Review playback keys', () => {
    const all = SHORTCUT_GROUPS.flatMap((g) => g.shortcuts.map((s) => s.keys.join('+')));
    for (const k of ['?', '/', 'Ctrl+K', 'Ctrl+Enter', 'M', 'Space', '1+2+3+4', 'A', '[', ']']) {
      expect(all).toContain(k);
    }
  });
});
