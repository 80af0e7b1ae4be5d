import { describe, expect, it } from 'vitest';
import { INTERVIEW_PHASES, hasNextPhase, phaseSecondsLeft } from './phases';
import { globalAction, SHORTCUT_GROUPS } from '../shortcuts/shortcuts';
import { initialPracticeState, practiceReducer, type PracticeAction, type PracticeState } from './session';

const run = (actions: PracticeAction[], from: PracticeState = initialPracticeState) => actions.reduce(practiceReducer, from);

describe('interview phases in the practice reducer', () => {
  const recording: PracticeAction[] = [
    { type: 'start-requested', promptId: 'doc-qa-10k' },
    { type: 'start-succeeded', sessionId: 's1', nowMs: 1_000 },
  ];

  it('keeps the phase the engine last announced', () => {
    const s = run([
      ...recording,
      { type: 'engine', event: { type: 'phase', phase: 'clarify', started_s: 0, budget_s: 300 }, nowMs: 1_100 },
      { type: 'engine', event: { type: 'phase', phase: 'high_level', started_s: 42, budget_s: 600 }, nowMs: 43_000 },
    ]);
    expect(s.interviewPhase).toEqual({ phase: 'high_level', startedS: 42, budgetS: 600 });
    expect(phaseSecondsLeft(s.interviewPhase!, 100)).toBe(542);
    expect(hasNextPhase(s.interviewPhase)).toBe(true);
  });

  it('starts a new session with no phase, and ignores phase events when idle', () => {
    const s = run([{ type: 'engine', event: { type: 'phase', phase: 'deep_dive', started_s: 0, budget_s: 60 }, nowMs: 0 }]);
    expect(s.interviewPhase).toBeNull();
    const again = run(
      [{ type: 'start-requested', promptId: 'p' }],
      { ...initialPracticeState, phase: 'done', interviewPhase: { phase: 'wrap_up', startedS: 0, budgetS: 60 } },
    );
    expect(again.interviewPhase).toBeNull();
  });

  it('lists the five phases in order, the wrap-up last with none after it', () => {
    expect(INTERVIEW_PHASES.map((p) => p.phase)).toEqual(['clarify', 'high_level', 'deep_dive', 'tradeoffs_failures', 'wrap_up']);
    expect(hasNextPhase({ phase: 'wrap_up', startedS: 0, budgetS: 60 })).toBe(false);
    expect(hasNextPhase(null)).toBe(false);
    expect(phaseSecondsLeft({ phase: 'wrap_up', startedS: 540, budgetS: 60 }, 620)).toBe(-20);
  });
});

describe('the next-phase shortcut', () => {
  const key = (k: string, target: object | null = { tagName: 'BODY' }, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    target,
    ...mods,
  });

  it('is N, never while typing or drawing, and the ? sheet lists it', () => {
    expect(globalAction(key('n'))).toBe('next-phase');
    expect(globalAction(key('N'))).toBe('next-phase');
    expect(globalAction(key('n', { tagName: 'TEXTAREA' }))).toBeNull();
    expect(globalAction(key('n', { tagName: 'INPUT', type: 'text' }))).toBeNull();
    const onBoard = { tagName: 'CANVAS', closest: (s: string) => (s === '.excalidraw' ? {} : null) };
    expect(globalAction(key('n', onBoard))).toBeNull();
    expect(globalAction(key('n', { tagName: 'BODY' }, { ctrlKey: true }))).toBeNull();
    const all = SHORTCUT_GROUPS.flatMap((g) => g.shortcuts.map((s) => s.keys.join('+')));
    expect(all).toContain('N');
  });
});
