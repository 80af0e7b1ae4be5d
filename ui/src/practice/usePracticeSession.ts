import { useCallback, useEffect, useReducer, useState } from 'react';
import { continueOnInput, nextPhase as invokeNextPhase, onEngineEvent, startPractice, stopPractice } from '../ipc';
import { hasNextPhase } from './phases';
import { initialPracticeState, practiceReducer, type PracticeState } from './session';
import { useReportError } from '../components/errors';

export interface PracticeSession {
  state: PracticeState;
  /** The prompt the candidate picked (null: none picked yet). */
  chosenPromptId: string | null;
  choosePrompt: (id: string) => void;
  start: (promptId: string) => Promise<void>;
  stop: () => Promise<void>;
  reset: () => void;
  /** Moves the interview on to its next phase; false when not recording or at the wrap-up. */
  nextPhase: () => boolean;
  /** After the microphone was lost: continues on `device` (null: the system default). */
  continueOn: (device: string | null) => Promise<void>;
}

/**
 * Lives at the app level so that a recording carries on while the candidate looks at another
 * screen, and no engine event is missed.
 */
export function usePracticeSession(): PracticeSession {
  const reportError = useReportError();
  const [state, dispatch] = useReducer(practiceReducer, initialPracticeState);
  const [chosenPromptId, choosePrompt] = useState<string | null>(null);

  useEffect(() => {
    let unlisten: (() => void) | null = null;
    let cancelled = false;
    onEngineEvent((event) => {
      if (event.type === 'error') reportError(event.message);
      dispatch({ type: 'engine', event, nowMs: Date.now() });
    }).then(
      (fn) => {
        if (cancelled) fn();
        else unlisten = fn;
      },
      (err: unknown) => reportError(err),
    );
    return () => {
      cancelled = true;
      unlisten?.();
    };
  }, [reportError]);

  const start = useCallback(
    async (promptId: string) => {
      dispatch({ type: 'start-requested', promptId });
      try {
        const sessionId = await startPractice(promptId);
        dispatch({ type: 'start-succeeded', sessionId, nowMs: Date.now() });
      } catch (err) {
        reportError(err);
        dispatch({ type: 'start-failed' });
      }
    },
    [reportError],
  );

  const stop = useCallback(async () => {
    dispatch({ type: 'stop-requested', nowMs: Date.now() });
    try {
      const report = await stopPractice();
      dispatch({ type: 'stop-succeeded', report });
    } catch (err) {
      reportError(err);
      dispatch({ type: 'stop-failed' });
    }
  }, [reportError]);

  const reset = useCallback(() => dispatch({ type: 'reset' }), []);

  const nextPhase = useCallback(() => {
    if (state.phase !== 'recording' || !hasNextPhase(state.interviewPhase)) return false;
    invokeNextPhase().catch(reportError);
    return true;
  }, [state.phase, state.interviewPhase, reportError]);

  const continueOn = useCallback(
    async (device: string | null) => {
      dispatch({ type: 'switch-requested' });
      try {
        await continueOnInput(device);
      } catch (err) {
        reportError(err);
        dispatch({ type: 'switch-failed' });
      }
    },
    [reportError],
  );

  return { state, chosenPromptId, choosePrompt, start, stop, reset, nextPhase, continueOn };
}
