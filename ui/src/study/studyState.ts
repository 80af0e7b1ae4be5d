// The Study screen as the UI sees it: a pure reducer over user actions and engine answers, and
// what a key press means in each state. The engine owns the cards and their schedules; this
// only keeps what to show.
import type { DueCard } from '../bindings/DueCard';
import type { ReviewGrade } from '../bindings/ReviewGrade';
import type { SpokenAnswer } from '../bindings/SpokenAnswer';
import type { StudyCard } from '../bindings/StudyCard';
import type { StudyDeck } from '../bindings/StudyDeck';
import type { StudyStats } from '../bindings/StudyStats';

/** A spoken answer to the card on screen, from opening the microphone to the graded result. */
export type AnswerState =
  | { phase: 'starting'; cardId: string }
  | { phase: 'recording'; cardId: string; startedAt: number }
  | { phase: 'transcribing'; cardId: string }
  | { phase: 'done'; cardId: string; result: SpokenAnswer };

export const GRADES: { grade: ReviewGrade; label: string; key: string; hint: string }[] = [
  { grade: 'again', label: 'Again', key: '1', hint: 'Forgot it' },
  { grade: 'hard', label: 'Hard', key: '2', hint: 'Recalled with effort' },
  { grade: 'good', label: 'Good', key: '3', hint: 'Recalled it' },
  { grade: 'easy', label: 'Easy', key: '4', hint: 'Knew it cold' },
];

/** The review just recorded, for "Good: back in 2 days". */
export interface LastReview {
  grade: ReviewGrade;
  title: string;
  intervalDays: number;
  /** Tells two identical reviews apart, so each restarts the fade. */
  at: number;
}

export interface StudyState {
  /** The deck studied: a topic area, or null for every deck. */
  deck: string | null;
  /** Cards to study now, first on screen; null while loading. */
  queue: DueCard[] | null;
  stats: StudyStats | null;
  decks: StudyDeck[] | null;
  /** Full cards (body, key points) read so far, by id. */
  cards: Record<string, StudyCard>;
  revealed: boolean;
  /** A review is being recorded. */
  busy: boolean;
  last: LastReview | null;
  query: string;
  /** A card opened from search (or the nav rail's search), shown over the queue. */
  openedId: string | null;
  /** The seq of the last open request from the nav rail, so each is handled once. */
  handledSeq: number | null;
  /** Answering the card on screen out loud; null when not. */
  answer: AnswerState | null;
}

export const initialStudyState: StudyState = {
  deck: null,
  queue: null,
  stats: null,
  decks: null,
  cards: {},
  revealed: false,
  busy: false,
  last: null,
  query: '',
  openedId: null,
  handledSeq: null,
  answer: null,
};

export type StudyAction =
  | { type: 'loaded'; deck: string | null; due: DueCard[]; stats: StudyStats; decks: StudyDeck[] }
  | { type: 'load-failed' }
  | { type: 'deck-chosen'; deck: string | null }
  | { type: 'card-loaded'; id: string; card: StudyCard }
  | { type: 'open-requested'; cardId: string; seq: number }
  | { type: 'card-opened'; cardId: string }
  | { type: 'card-closed' }
  | { type: 'query-typed'; query: string }
  | { type: 'query-cleared' }
  | { type: 'revealed' }
  | { type: 'grade-started' }
  | { type: 'graded'; review: LastReview }
  | { type: 'grade-finished' }
  | { type: 'last-expired'; at: number }
  | { type: 'answer'; answer: AnswerState | null };

export function studyReducer(state: StudyState, action: StudyAction): StudyState {
  switch (action.type) {
    case 'loaded':
      // An answer for a deck since left is dropped.
      if (action.deck !== state.deck) return state;
      return { ...state, queue: action.due, stats: action.stats, decks: action.decks };
    case 'load-failed':
      return { ...state, queue: state.queue ?? [] };
    case 'deck-chosen':
      // The deck stays while answering out loud.
      if (action.deck === state.deck || state.answer) return state;
      return { ...state, deck: action.deck, queue: null, stats: null, revealed: false, openedId: null, query: '' };
    case 'card-loaded':
      return { ...state, cards: { ...state.cards, [action.id]: action.card } };
    case 'open-requested':
      if (action.seq === state.handledSeq) return state;
      return { ...state, handledSeq: action.seq, query: '', openedId: action.cardId };
    case 'card-opened':
      return { ...state, openedId: action.cardId };
    case 'card-closed':
      return { ...state, openedId: null };
    case 'query-typed':
      return { ...state, query: action.query, openedId: null };
    case 'query-cleared':
      return { ...state, query: '' };
    case 'revealed':
      return { ...state, revealed: true };
    case 'grade-started':
      return { ...state, busy: true };
    case 'graded':
      return { ...state, last: action.review, revealed: false, answer: null };
    case 'grade-finished':
      return { ...state, busy: false };
    case 'last-expired':
      return state.last?.at === action.at ? { ...state, last: null } : state;
    case 'answer':
      // A spoken answer, once checked, shows the card's answer with its coverage.
      return { ...state, answer: action.answer, revealed: action.answer?.phase === 'done' ? true : state.revealed };
  }
}

/** What the screen shows, derived from the state. */
export interface StudyView {
  /** The first card of the queue. */
  current: DueCard | null;
  /** Its full card, once read. */
  currentCard: StudyCard | null;
  /** The card on screen: the opened one, else the first of the queue. */
  activeId: string | null;
  /** The next card of the queue, read ahead of time. */
  nextId: string | null;
  /** The queue is on screen (no opened card, no search). */
  inQueue: boolean;
  /** The current card has key points to check a spoken answer against. */
  canAnswerAloud: boolean;
  /** The answer to the card on screen (an answer to a card since graded is ignored). */
  currentAnswer: AnswerState | null;
  trimmedQuery: string;
}

export function studyView(state: StudyState): StudyView {
  const current = state.queue?.[0] ?? null;
  const currentCard = current ? (state.cards[current.card_id] ?? null) : null;
  const trimmedQuery = state.query.trim();
  return {
    current,
    currentCard,
    activeId: state.openedId ?? current?.card_id ?? null,
    nextId: state.queue?.[1]?.card_id ?? null,
    inQueue: state.openedId === null && trimmedQuery === '',
    canAnswerAloud: Boolean(currentCard && currentCard.key_points.length > 0),
    currentAnswer: state.answer && current && state.answer.cardId === current.card_id ? state.answer : null,
    trimmedQuery,
  };
}

export type StudyKeyCommand =
  | { type: 'stop-answer' | 'cancel-answer' | 'focus-search' | 'close-card' | 'start-answer' | 'reveal' }
  | { type: 'grade'; grade: ReviewGrade };

/**
 * What a key press (outside a text field, no modifier) does: Space shows the answer, 1-4 grade
 * it, A answers out loud (A or Enter stops, Escape discards), / goes to search, Escape closes an
 * opened card. Null: nothing.
 */
export function studyKeyCommand(state: StudyState, key: string, repeat: boolean): StudyKeyCommand | null {
  const phase = state.answer?.phase;
  if (phase === 'recording') {
    if ((key === 'a' || key === 'A' || key === 'Enter') && !repeat) return { type: 'stop-answer' };
    return key === 'Escape' ? { type: 'cancel-answer' } : null;
  }
  if (phase === 'starting' || phase === 'transcribing') return null;
  if (key === '/') return { type: 'focus-search' };
  if (key === 'Escape' && state.openedId) return { type: 'close-card' };
  const view = studyView(state);
  if (!view.inQueue || !view.current) return null;
  if (!state.revealed) {
    if (view.canAnswerAloud && (key === 'a' || key === 'A') && !repeat) return { type: 'start-answer' };
    return key === ' ' ? { type: 'reveal' } : null;
  }
  const match = repeat ? undefined : GRADES.find((g) => g.key === key);
  return match ? { type: 'grade', grade: match.grade } : null;
}
