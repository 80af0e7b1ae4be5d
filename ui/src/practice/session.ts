// The live practice session as the UI sees it: a pure reducer over user actions and engine
// events. The engine owns recording, transcription and scoring; this only keeps what to show.
import type { EngineEvent } from '../bindings/EngineEvent';
import type { Segment } from '../bindings/Segment';
import type { SessionReport } from '../bindings/SessionReport';
import type { Turn } from '../bindings/Turn';
import type { Notice } from '../components/timeline';
import type { PhaseNow } from './phases';

export type Phase = 'idle' | 'starting' | 'recording' | 'scoring' | 'done';

export interface PracticeState {
  phase: Phase;
  promptId: string | null;
  sessionId: string | null;
  segments: Segment[];
  turns: Turn[];
  notices: Notice[];
  /** Latest input RMS in [0, 1]. */
  level: number;
  /** Wall-clock ms when recording began, for the elapsed timer. */
  startedAtMs: number | null;
  /** Wall-clock ms when Stop was pressed: the timer freezes there. */
  stoppedAtMs: number | null;
  report: SessionReport | null;
  /** The interview phase now (clarify, high-level design, ...), once the engine said. */
  interviewPhase: PhaseNow | null;
  /** The LLM interviewer's question while it is being generated; null when none is forming. */
  interviewerDraft: string | null;
  /** Provisional text of what the candidate is saying now (replaced by the final segment). */
  partial: LivePartial | null;
  /** The microphone stopped mid-session: the session waits to continue on another input or stop. */
  micLost: MicLost | null;
}

/** A lost microphone, as the engine said it; `switching` while another input is being opened. */
export interface MicLost {
  device: string;
  message: string;
  switching: boolean;
}

/** The utterance in progress: when it began (session seconds) and what it sounds like so far. */
export interface LivePartial {
  t0: number;
  text: string;
}

export const initialPracticeState: PracticeState = {
  phase: 'idle',
  promptId: null,
  sessionId: null,
  segments: [],
  turns: [],
  notices: [],
  level: 0,
  startedAtMs: null,
  stoppedAtMs: null,
  report: null,
  interviewPhase: null,
  interviewerDraft: null,
  partial: null,
  micLost: null,
};

export type PracticeAction =
  | { type: 'start-requested'; promptId: string }
  | { type: 'start-succeeded'; sessionId: string; nowMs: number }
  | { type: 'start-failed' }
  | { type: 'stop-requested'; nowMs: number }
  | { type: 'stop-succeeded'; report: SessionReport }
  | { type: 'stop-failed' }
  | { type: 'engine'; event: EngineEvent; nowMs: number }
  | { type: 'switch-requested' }
  | { type: 'switch-failed' }
  | { type: 'reset' };

const LIVE: ReadonlySet<Phase> = new Set(['starting', 'recording', 'scoring']);

export function practiceReducer(state: PracticeState, action: PracticeAction): PracticeState {
  switch (action.type) {
    case 'start-requested':
      return { ...initialPracticeState, phase: 'starting', promptId: action.promptId };
    case 'start-succeeded':
      if (state.phase !== 'starting' && state.phase !== 'recording') return state;
      return { ...state, phase: 'recording', sessionId: action.sessionId, startedAtMs: action.nowMs };
    case 'start-failed':
      return state.phase === 'starting' ? { ...state, phase: 'idle' } : state;
    case 'stop-requested':
      if (state.phase !== 'recording') return state;
      return { ...state, phase: 'scoring', stoppedAtMs: action.nowMs, level: 0, micLost: null };
    case 'stop-succeeded':
      return { ...state, phase: 'done', report: action.report, level: 0 };
    case 'stop-failed':
      // What was recorded is kept by the engine; the transcript so far stays on screen.
      return state.phase === 'scoring' ? { ...state, phase: 'idle' } : state;
    case 'switch-requested':
      return state.micLost ? { ...state, micLost: { ...state.micLost, switching: true } } : state;
    case 'switch-failed':
      // Still waiting: the candidate may pick another input or stop.
      return state.micLost ? { ...state, micLost: { ...state.micLost, switching: false } } : state;
    case 'reset':
      return state.phase === 'done' || state.phase === 'idle' ? initialPracticeState : state;
    case 'engine':
      return applyEngineEvent(state, action.event, elapsedSeconds(state, action.nowMs));
  }
}

function applyEngineEvent(state: PracticeState, event: EngineEvent, elapsedS: number): PracticeState {
  if (!LIVE.has(state.phase)) return state;
  switch (event.type) {
    case 'started':
      return { ...state, sessionId: event.session_id };
    case 'level':
      return state.phase === 'scoring' ? state : { ...state, level: event.rms };
    case 'segment':
      // The final text replaces the provisional line.
      return { ...state, segments: [...state.segments, event.segment], partial: null };
    case 'partial':
      // Empty text withdraws it (nothing was transcribed after all).
      return { ...state, partial: event.text === '' ? null : { t0: event.t0, text: event.text } };
    case 'turn':
      // The validated turn replaces the draft that was forming.
      return { ...state, turns: [...state.turns, event.turn], interviewerDraft: null };
    case 'interviewer_draft':
      // Empty text withdraws the draft (the LLM failed; the offline turn follows).
      return { ...state, interviewerDraft: event.text_so_far === '' ? null : event.text_so_far };
    case 'phase':
      return { ...state, interviewPhase: { phase: event.phase, startedS: event.started_s, budgetS: event.budget_s } };
    case 'notice':
      return { ...state, notices: [...state.notices, { at: elapsedS, message: event.message }] };
    case 'mic_lost':
      if (state.phase !== 'recording') return state;
      return { ...state, level: 0, micLost: { device: event.device, message: event.message, switching: false } };
    case 'mic_resumed':
      return { ...state, micLost: null, notices: [...state.notices, { at: elapsedS, message: event.message }] };
    case 'error':
      // The session could not go on (the engine keeps what was recorded). While scoring,
      // stop_practice reports the outcome instead.
      return state.phase === 'scoring' ? state : { ...state, phase: 'idle', level: 0, stoppedAtMs: state.startedAtMs === null ? null : state.startedAtMs + elapsedS * 1000 };
    case 'finished':
      return { ...state, phase: 'done', report: event.report, level: 0, interviewerDraft: null };
  }
}

/** Seconds shown on the elapsed timer. */
export function elapsedSeconds(state: PracticeState, nowMs: number): number {
  if (state.startedAtMs === null) return 0;
  const end = state.stoppedAtMs ?? nowMs;
  return Math.max(0, (end - state.startedAtMs) / 1000);
}
