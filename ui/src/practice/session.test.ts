import { describe, expect, it } from 'vitest';
import type { SessionReport } from '../bindings/SessionReport';
import { elapsedSeconds, initialPracticeState, practiceReducer, type PracticeAction, type PracticeState } from './session';

const run = (actions: PracticeAction[], from: PracticeState = initialPracticeState) => actions.reduce(practiceReducer, from);

const report: SessionReport = {
  session_id: 's1',
  prompt_id: 'p',
  audio: { path: '/x.wav', duration_s: 3, available: true },
  transcript: { segments: [] },
  turns: [],
  scorecard: { grader: 'offline', dimensions: [] },
  segment_refs: [],
  score_version: 1,
  status: 'done',
  started_at: '2026-11-25T10:00:00Z',
};

describe('practiceReducer', () => {
  it('goes idle -> recording -> scoring -> done, keeping live events', () => {
    const recording = run([
      { type: 'start-requested', promptId: 'p' },
      { type: 'start-succeeded', sessionId: 's1', nowMs: 1000 },
      { type: 'engine', event: { type: 'level', rms: 0.3 }, nowMs: 1500 },
      { type: 'engine', event: { type: 'segment', segment: { t0: 0, t1: 2, text: 'hi' } }, nowMs: 3000 },
      { type: 'engine', event: { type: 'notice', message: 'n' }, nowMs: 5000 },
    ]);
    expect(recording.phase).toBe('recording');
    expect(recording.level).toBe(0.3);
    expect(recording.segments).toHaveLength(1);
    expect(recording.notices).toEqual([{ at: 4, message: 'n' }]);

    const scoring = practiceReducer(recording, { type: 'stop-requested', nowMs: 9000 });
    expect(scoring.phase).toBe('scoring');
    expect(elapsedSeconds(scoring, 99_000)).toBe(8);
    // The tail is transcribed after Stop.
    const tail = practiceReducer(scoring, { type: 'engine', event: { type: 'segment', segment: { t0: 2, t1: 3, text: 'bye' } }, nowMs: 9500 });
    expect(tail.segments).toHaveLength(2);
    const done = practiceReducer(tail, { type: 'stop-succeeded', report });
    expect(done.phase).toBe('done');
    expect(done.report).toBe(report);
  });

  it('returns to idle when start fails or the engine reports an error', () => {
    expect(run([{ type: 'start-requested', promptId: 'p' }, { type: 'start-failed' }]).phase).toBe('idle');
    const errored = run([
      { type: 'start-requested', promptId: 'p' },
      { type: 'start-succeeded', sessionId: 's1', nowMs: 0 },
      { type: 'engine', event: { type: 'segment', segment: { t0: 0, t1: 1, text: 'kept' } }, nowMs: 1000 },
      { type: 'engine', event: { type: 'error', message: 'mic gone' }, nowMs: 2000 },
    ]);
    expect(errored.phase).toBe('idle');
    expect(errored.segments).toHaveLength(1);
    expect(elapsedSeconds(errored, 60_000)).toBe(2);
  });

  it('ignores engine events when no session is live', () => {
    const s = practiceReducer(initialPracticeState, { type: 'engine', event: { type: 'segment', segment: { t0: 0, t1: 1, text: 'x' } }, nowMs: 0 });
    expect(s).toBe(initialPracticeState);
  });
});
