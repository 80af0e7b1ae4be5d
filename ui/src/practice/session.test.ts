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
  scorecard: { grader: 'offline', dimensions: [], tradeoffs: [] },
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
      { type: 'engine', event: { type: 'segment', segment: { t0: 0, t1: 2, text: 'hi', words: [] } }, nowMs: 3000 },
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
    const tail = practiceReducer(scoring, { type: 'engine', event: { type: 'segment', segment: { t0: 2, t1: 3, text: 'bye', words: [] } }, nowMs: 9500 });
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
      { type: 'engine', event: { type: 'segment', segment: { t0: 0, t1: 1, text: 'kept', words: [] } }, nowMs: 1000 },
      { type: 'engine', event: { type: 'error', message: 'mic gone' }, nowMs: 2000 },
    ]);
    expect(errored.phase).toBe('idle');
    expect(errored.segments).toHaveLength(1);
    expect(elapsedSeconds(errored, 60_000)).toBe(2);
  });

  it('shows the LLM draft as it forms, replaces it with the turn, withdraws it on empty text', () => {
    const live = run([
      { type: 'start-requested', promptId: 'p' },
      { type: 'start-succeeded', sessionId: 's1', nowMs: 0 },
    ]);
    const drafting = run(
      [
        { type: 'engine', event: { type: 'interviewer_draft', text_so_far: 'You said' }, nowMs: 100 },
        { type: 'engine', event: { type: 'interviewer_draft', text_so_far: 'You said 500 tokens: what' }, nowMs: 200 },
      ],
      live,
    );
    expect(drafting.interviewerDraft).toBe('You said 500 tokens: what');
    expect(drafting.turns).toHaveLength(0);
    const turn = { at: 12, role: 'interviewer' as const, text: 'You said 500 tokens: what about tables?', targets: [] };
    const asked = practiceReducer(drafting, { type: 'engine', event: { type: 'turn', turn }, nowMs: 300 });
    expect(asked.interviewerDraft).toBeNull();
    expect(asked.turns).toEqual([turn]);
    // The LLM failed after drafting: the draft goes, the offline turn and its notice follow.
    const withdrawn = practiceReducer(drafting, { type: 'engine', event: { type: 'interviewer_draft', text_so_far: '' }, nowMs: 300 });
    expect(withdrawn.interviewerDraft).toBeNull();
    expect(withdrawn.turns).toHaveLength(0);
  });

  it('shows the newest partial line until the final segment replaces it', () => {
    const live = run([
      { type: 'start-requested', promptId: 'p' },
      { type: 'start-succeeded', sessionId: 's1', nowMs: 0 },
    ]);
    const hearing = run(
      [
        { type: 'engine', event: { type: 'partial', t0: 1.2, text: 'We shard' }, nowMs: 2000 },
        { type: 'engine', event: { type: 'partial', t0: 1.2, text: 'We shard by user' }, nowMs: 3000 },
      ],
      live,
    );
    expect(hearing.partial).toEqual({ t0: 1.2, text: 'We shard by user' });
    expect(hearing.segments).toHaveLength(0);
    const segment = { t0: 1.2, t1: 3.5, text: 'We shard by user id.', words: [] };
    const final = practiceReducer(hearing, { type: 'engine', event: { type: 'segment', segment }, nowMs: 4200 });
    expect(final.partial).toBeNull();
    expect(final.segments).toEqual([segment]);
    // Nothing was transcribed after all (a cough): the engine withdraws the line.
    const withdrawn = practiceReducer(hearing, { type: 'engine', event: { type: 'partial', t0: 1.2, text: '' }, nowMs: 4200 });
    expect(withdrawn.partial).toBeNull();
  });

  it('ignores engine events when no session is live', () => {
    const s = practiceReducer(initialPracticeState, { type: 'engine', event: { type: 'segment', segment: { t0: 0, t1: 1, text: 'x', words: [] } }, nowMs: 0 });
    expect(s).toBe(initialPracticeState);
  });
  it('pauses on a lost microphone, keeps it through a failed switch, and resumes with a notice', () => {
    const recording = run([
      { type: 'start-requested', promptId: 'p' },
      { type: 'start-succeeded', sessionId: 's1', nowMs: 1000 },
      { type: 'engine', event: { type: 'level', rms: 0.3 }, nowMs: 1500 },
    ]);
    const message = 'The microphone stopped: USB Headset. What you said so far is saved.';
    const lost = practiceReducer(recording, { type: 'engine', event: { type: 'mic_lost', device: 'USB Headset', at_s: 4, message }, nowMs: 5000 });
    expect(lost.phase).toBe('recording');
    expect(lost.level).toBe(0);
    expect(lost.micLost).toEqual({ device: 'USB Headset', message, switching: false });
    const switching = practiceReducer(lost, { type: 'switch-requested' });
    expect(switching.micLost?.switching).toBe(true);
    const failed = practiceReducer(switching, { type: 'switch-failed' });
    expect(failed.micLost).toEqual(lost.micLost);
    const resumed = practiceReducer(practiceReducer(failed, { type: 'switch-requested' }), {
      type: 'engine',
      event: { type: 'mic_resumed', device: 'Built-in', at_s: 4, message: 'Recording continues on Built-in.' },
      nowMs: 9000,
    });
    expect(resumed.micLost).toBeNull();
    expect(resumed.notices).toEqual([{ at: 8, message: 'Recording continues on Built-in.' }]);
  });

  it('stopping after a lost microphone scores what was said', () => {
    const lost = run([
      { type: 'start-requested', promptId: 'p' },
      { type: 'start-succeeded', sessionId: 's1', nowMs: 1000 },
      { type: 'engine', event: { type: 'mic_lost', device: 'd', at_s: 1, message: 'm' }, nowMs: 2000 },
    ]);
    const scoring = practiceReducer(lost, { type: 'stop-requested', nowMs: 3000 });
    expect(scoring.phase).toBe('scoring');
    expect(scoring.micLost).toBeNull();
    expect(practiceReducer(scoring, { type: 'stop-succeeded', report }).phase).toBe('done');
  });
});
