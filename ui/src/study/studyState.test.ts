import { describe, expect, it } from 'vitest';
import type { DueCard } from '../bindings/DueCard';
import type { StudyCard } from '../bindings/StudyCard';
import type { StudyStats } from '../bindings/StudyStats';
import { initialStudyState, studyKeyCommand, studyReducer, studyView, type StudyAction, type StudyState } from './studyState';

const run = (actions: StudyAction[], from: StudyState = initialStudyState) => actions.reduce(studyReducer, from);

const due = (card_id: string): DueCard => ({ card_id, title: `Title ${card_id}`, kind: 'question', area: 'agents', state: 'new', due: null, reason: null });
const card = (card_id: string, key_points: string[] = []): StudyCard => ({
  card_id,
  title: `Title ${card_id}`,
  kind: 'question',
  area: 'agents',
  tags: [],
  body: 'Body',
  key_points,
  weak_answers: [],
  followups: [],
});
const stats: StudyStats = { due_today: 1, new: 1, reviewed_total: 0, due_next_7_days: [1, 0, 0, 0, 0, 0, 0], retention: null };
const loaded = (deck: string | null, ids: string[]): StudyAction => ({ type: 'loaded', deck, due: ids.map(due), stats, decks: [] });

describe('studyReducer', () => {
  it('shows the queue, reveals, grades, and puts the next card first', () => {
    const revealed = run([loaded(null, ['a', 'b']), { type: 'card-loaded', id: 'a', card: card('a') }, { type: 'revealed' }]);
    expect(studyView(revealed).current?.card_id).toBe('a');
    expect(studyView(revealed).nextId).toBe('b');
    expect(revealed.revealed).toBe(true);

    const graded = run(
      [
        { type: 'grade-started' },
        { type: 'graded', review: { grade: 'good', title: 'Title a', intervalDays: 3, at: 1 } },
        loaded(null, ['b']),
        { type: 'grade-finished' },
      ],
      revealed,
    );
    expect(graded.revealed).toBe(false);
    expect(graded.busy).toBe(false);
    expect(graded.last?.grade).toBe('good');
    expect(studyView(graded).current?.card_id).toBe('b');
    // The fade of an older review does not clear a newer one.
    expect(studyReducer(graded, { type: 'last-expired', at: 0 }).last).not.toBeNull();
    expect(studyReducer(graded, { type: 'last-expired', at: 1 }).last).toBeNull();
  });

  it('drops an answer for a deck since left, and keeps the deck while answering out loud', () => {
    const agents = run([loaded(null, ['a']), { type: 'deck-chosen', deck: 'agents' }]);
    expect(agents.queue).toBeNull();
    expect(run([loaded(null, ['a'])], agents).queue).toBeNull();
    expect(run([loaded('agents', ['x'])], agents).queue?.map((d) => d.card_id)).toEqual(['x']);

    const answering = run([{ type: 'answer', answer: { phase: 'starting', cardId: 'x' } }], agents);
    expect(studyReducer(answering, { type: 'deck-chosen', deck: null }).deck).toBe('agents');
  });

  it('keeps the queue it had when a refresh fails, or an empty one', () => {
    expect(run([{ type: 'load-failed' }]).queue).toEqual([]);
    expect(run([loaded(null, ['a']), { type: 'load-failed' }]).queue).toHaveLength(1);
  });

  it('opens a card from the nav rail once per request, over the search', () => {
    const searching = run([loaded(null, ['a']), { type: 'query-typed', query: 'cache ' }]);
    expect(studyView(searching).inQueue).toBe(false);
    expect(studyView(searching).trimmedQuery).toBe('cache');
    const opened = studyReducer(searching, { type: 'open-requested', cardId: 'z', seq: 1 });
    expect(opened.openedId).toBe('z');
    expect(opened.query).toBe('');
    expect(studyView(opened).activeId).toBe('z');
    const closed = studyReducer(opened, { type: 'card-closed' });
    // The same request again is not a new one.
    expect(studyReducer(closed, { type: 'open-requested', cardId: 'z', seq: 1 }).openedId).toBeNull();
    expect(studyReducer(closed, { type: 'open-requested', cardId: 'z', seq: 2 }).openedId).toBe('z');
  });

  it('reveals the answer once a spoken answer is checked, and ignores one for another card', () => {
    const result = { transcript: 't', coverage: { card_id: 'a', covered: [], missed: [], suggested_grade: 'hard' as const } };
    const base = run([loaded(null, ['a', 'b']), { type: 'card-loaded', id: 'a', card: card('a', ['kp']) }]);
    expect(studyView(base).canAnswerAloud).toBe(true);
    const done = studyReducer(base, { type: 'answer', answer: { phase: 'done', cardId: 'a', result } });
    expect(done.revealed).toBe(true);
    expect(studyView(done).currentAnswer?.phase).toBe('done');
    const other = studyReducer(base, { type: 'answer', answer: { phase: 'done', cardId: 'b', result } });
    expect(studyView(other).currentAnswer).toBeNull();
  });
});

describe('studyKeyCommand', () => {
  const withCard = run([loaded(null, ['a']), { type: 'card-loaded', id: 'a', card: card('a', ['kp']) }]);

  it('answers out loud or reveals before the answer shows, grades after', () => {
    expect(studyKeyCommand(withCard, 'a', false)).toEqual({ type: 'start-answer' });
    expect(studyKeyCommand(withCard, 'a', true)).toBeNull();
    expect(studyKeyCommand(withCard, ' ', false)).toEqual({ type: 'reveal' });
    expect(studyKeyCommand(withCard, '3', false)).toBeNull();
    const revealed = studyReducer(withCard, { type: 'revealed' });
    expect(studyKeyCommand(revealed, '3', false)).toEqual({ type: 'grade', grade: 'good' });
    expect(studyKeyCommand(revealed, '3', true)).toBeNull();
    expect(studyKeyCommand(revealed, '/', false)).toEqual({ type: 'focus-search' });
  });

  it('only stops or discards while recording, and ignores keys while the mic opens or it transcribes', () => {
    const recording = studyReducer(withCard, { type: 'answer', answer: { phase: 'recording', cardId: 'a', startedAt: 0 } });
    expect(studyKeyCommand(recording, 'Enter', false)).toEqual({ type: 'stop-answer' });
    expect(studyKeyCommand(recording, 'A', false)).toEqual({ type: 'stop-answer' });
    expect(studyKeyCommand(recording, 'Escape', false)).toEqual({ type: 'cancel-answer' });
    expect(studyKeyCommand(recording, ' ', false)).toBeNull();
    expect(studyKeyCommand(recording, '/', false)).toBeNull();
    const transcribing = studyReducer(withCard, { type: 'answer', answer: { phase: 'transcribing', cardId: 'a' } });
    expect(studyKeyCommand(transcribing, '/', false)).toBeNull();
  });

  it('closes an opened card with Escape and does not grade under it', () => {
    const opened = run([{ type: 'revealed' }, { type: 'card-opened', cardId: 'z' }], withCard);
    expect(studyKeyCommand(opened, 'Escape', false)).toEqual({ type: 'close-card' });
    expect(studyKeyCommand(opened, '3', false)).toBeNull();
  });

  it('does not offer answering out loud for a card without key points', () => {
    const plain = run([loaded(null, ['a']), { type: 'card-loaded', id: 'a', card: card('a') }]);
    expect(studyKeyCommand(plain, 'a', false)).toBeNull();
  });
});
