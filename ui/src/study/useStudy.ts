import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, type Dispatch, type RefObject } from 'react';
import type { ReviewGrade } from '../bindings/ReviewGrade';
import { useReportError } from '../components/errors';
import { studyAnswerCancel, studyAnswerStart, studyAnswerStop, studyCard, studyDecks, studyDue, studyReview, studyStats } from '../ipc';
import { initialStudyState, studyKeyCommand, studyReducer, studyView, type StudyAction, type StudyState, type StudyView } from './studyState';

/** How long "Good: back in 2 days" stays up after a review. */
const NEXT_DUE_MS = 8000;

export interface StudySession {
  state: StudyState;
  view: StudyView;
  dispatch: Dispatch<StudyAction>;
  chooseDeck: (deck: string | null) => void;
  grade: (grade: ReviewGrade) => Promise<void>;
  startAnswer: () => Promise<void>;
  stopAnswer: () => Promise<void>;
}

/**
 * The Study screen's state and the engine calls behind it. `openRequest` is a card to open from
 * the nav rail's search (seq changes with every request); `searchRef` is the search box that
 * `/` focuses.
 */
export function useStudy(
  openRequest: { cardId: string; seq: number } | null,
  searchRef: RefObject<HTMLInputElement | null>,
): StudySession {
  const reportError = useReportError();
  const [state, dispatch] = useReducer(studyReducer, initialStudyState);
  // The state as last rendered, for handlers that run between renders (a key press, the async
  // tail of an engine call, unmounting); updated before the browser paints.
  const latest = useRef(state);
  useLayoutEffect(() => {
    latest.current = state;
  });
  const mounted = useRef(true);

  // Leaving Study while recording discards the recording.
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      if (latest.current.answer?.phase === 'recording') void studyAnswerCancel().catch(() => undefined);
    };
  }, []);

  // A card asked for from the nav rail's search opens over the queue.
  if (openRequest && openRequest.seq !== state.handledSeq) {
    dispatch({ type: 'open-requested', cardId: openRequest.cardId, seq: openRequest.seq });
  }

  const refresh = useCallback(
    (deck: string | null) =>
      Promise.all([studyDue(undefined, deck), studyStats(deck), studyDecks()]).then(
        ([due, stats, decks]) => dispatch({ type: 'loaded', deck, due, stats, decks }),
        (err: unknown) => {
          reportError(err);
          dispatch({ type: 'load-failed' });
        },
      ),
    [reportError],
  );

  useEffect(() => {
    void refresh(null);
  }, [refresh]);

  const chooseDeck = useCallback(
    (deck: string | null) => {
      if (deck === latest.current.deck || latest.current.answer) return;
      dispatch({ type: 'deck-chosen', deck });
      void refresh(deck);
    },
    [refresh],
  );

  const view = studyView(state);
  const { activeId, nextId } = view;

  // The full card (body, key points) of the card on screen, and of the next one ahead of time.
  useEffect(() => {
    for (const id of [activeId, nextId]) {
      if (!id || state.cards[id]) continue;
      studyCard(id).then(
        (card) => dispatch({ type: 'card-loaded', id, card }),
        (err: unknown) => reportError(err),
      );
    }
  }, [activeId, nextId, state.cards, reportError]);

  useEffect(() => {
    const last = state.last;
    if (!last) return;
    const timer = window.setTimeout(() => dispatch({ type: 'last-expired', at: last.at }), NEXT_DUE_MS);
    return () => window.clearTimeout(timer);
  }, [state.last]);

  const grade = useCallback(
    async (g: ReviewGrade) => {
      const now = latest.current;
      const current = studyView(now).current;
      if (!current || now.busy) return;
      dispatch({ type: 'grade-started' });
      try {
        const schedule = await studyReview(current.card_id, g);
        dispatch({ type: 'graded', review: { grade: g, title: current.title, intervalDays: schedule.interval_days, at: Date.now() } });
        await refresh(now.deck);
      } catch (err) {
        reportError(err);
      } finally {
        dispatch({ type: 'grade-finished' });
      }
    },
    [refresh, reportError],
  );

  const setAnswer = useCallback((answer: StudyState['answer']) => {
    // Seen at once by the next key press, before React renders again.
    latest.current = { ...latest.current, answer };
    dispatch({ type: 'answer', answer });
  }, []);

  const startAnswer = useCallback(async () => {
    const { current, canAnswerAloud } = studyView(latest.current);
    if (!current || !canAnswerAloud || latest.current.answer) return;
    const cardId = current.card_id;
    setAnswer({ phase: 'starting', cardId });
    try {
      await studyAnswerStart(cardId);
      if (!mounted.current) {
        await studyAnswerCancel();
        return;
      }
      setAnswer({ phase: 'recording', cardId, startedAt: Date.now() });
    } catch (err) {
      reportError(err);
      setAnswer(null);
    }
  }, [reportError, setAnswer]);

  const stopAnswer = useCallback(async () => {
    const a = latest.current.answer;
    if (a?.phase !== 'recording') return;
    setAnswer({ phase: 'transcribing', cardId: a.cardId });
    try {
      const result = await studyAnswerStop();
      setAnswer({ phase: 'done', cardId: a.cardId, result });
    } catch (err) {
      reportError(err);
      setAnswer(null);
    }
  }, [reportError, setAnswer]);

  const cancelAnswer = useCallback(() => {
    if (latest.current.answer?.phase !== 'recording') return;
    setAnswer(null);
    studyAnswerCancel().catch(reportError);
  }, [reportError, setAnswer]);

  useStudyKeys(latest, dispatch, searchRef, { grade, startAnswer, stopAnswer, cancelAnswer });

  return { state, view, dispatch, chooseDeck, grade, startAnswer, stopAnswer };
}

/** The Study screen's keys (see studyKeyCommand), listened for while the screen is open. */
function useStudyKeys(
  latest: RefObject<StudyState>,
  dispatch: Dispatch<StudyAction>,
  searchRef: RefObject<HTMLInputElement | null>,
  actions: {
    grade: (g: ReviewGrade) => Promise<void>;
    startAnswer: () => Promise<void>;
    stopAnswer: () => Promise<void>;
    cancelAnswer: () => void;
  },
) {
  const { grade, startAnswer, stopAnswer, cancelAnswer } = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      const typing =
        target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || Boolean(target?.isContentEditable);
      if (typing) {
        if (e.key === 'Escape' && target === searchRef.current) {
          dispatch({ type: 'query-cleared' });
          searchRef.current?.blur();
        }
        return;
      }
      const command = studyKeyCommand(latest.current, e.key, e.repeat);
      if (!command) return;
      if (command.type !== 'cancel-answer' && command.type !== 'close-card') e.preventDefault();
      switch (command.type) {
        case 'stop-answer':
          void stopAnswer();
          break;
        case 'cancel-answer':
          cancelAnswer();
          break;
        case 'focus-search':
          searchRef.current?.focus();
          searchRef.current?.select();
          break;
        case 'close-card':
          dispatch({ type: 'card-closed' });
          break;
        case 'start-answer':
          void startAnswer();
          break;
        case 'reveal':
          dispatch({ type: 'revealed' });
          break;
        case 'grade':
          void grade(command.grade);
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [latest, dispatch, searchRef, grade, startAnswer, stopAnswer, cancelAnswer]);
}
