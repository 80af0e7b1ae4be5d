import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useSearch } from '../components/useSearch';
import { DueForecast } from './DueForecast';
import type { DueCard } from '../bindings/DueCard';
import type { ReviewGrade } from '../bindings/ReviewGrade';
import type { SpokenAnswer } from '../bindings/SpokenAnswer';
import type { StudyDeck } from '../bindings/StudyDeck';
import type { SearchHit } from '../bindings/SearchHit';
import type { StudyCard } from '../bindings/StudyCard';
import type { StudyStats } from '../bindings/StudyStats';
import { Markdown } from '../components/Markdown';
import { formatInterval, idLabel, snippetParts } from '../format';
import {
  studyAnswerCancel,
  studyAnswerStart,
  studyAnswerStop,
  studyCard,
  studyDecks,
  studyDue,
  studyReview,
  studyStats,
} from '../ipc';
import { AnswerCoverageView, AnswerRecorder, type AnswerState } from './AnswerAloud';
import { useReportError } from '../components/errors';

const GRADES: { grade: ReviewGrade; label: string; key: string; hint: string }[] = [
  { grade: 'again', label: 'Again', key: '1', hint: 'Forgot it' },
  { grade: 'hard', label: 'Hard', key: '2', hint: 'Recalled with effort' },
  { grade: 'good', label: 'Good', key: '3', hint: 'Recalled it' },
  { grade: 'easy', label: 'Easy', key: '4', hint: 'Knew it cold' },
];

/** How long "Good: back in 2 days" stays up after a review. */
const NEXT_DUE_MS = 8000;

interface LastReview {
  grade: ReviewGrade;
  title: string;
  intervalDays: number;
  /** Tells two identical reviews apart, so each restarts the fade. */
  at: number;
}

interface Props {
  /** A card to open (from the search in the nav rail); seq changes with every request. */
  openRequest?: { cardId: string; seq: number } | null;
}

export function StudyScreen({ openRequest = null }: Props) {
  const reportError = useReportError();
  const [queue, setQueue] = useState<DueCard[] | null>(null);
  const [stats, setStats] = useState<StudyStats | null>(null);
  // The deck studied: a topic area, or null for every deck.
  const [deck, setDeck] = useState<string | null>(null);
  const [decks, setDecks] = useState<StudyDeck[] | null>(null);
  const [cards, setCards] = useState<Record<string, StudyCard>>({});
  const [revealed, setRevealed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<LastReview | null>(null);
  const [query, setQuery] = useState('');
  // The last search's results, with the query they answer.
  const [openedId, setOpenedId] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  // Answering the card on screen out loud; null when not.
  const [answer, setAnswerState] = useState<AnswerState | null>(null);
  // The same, for handlers that must see a change at once (a second key press, unmounting).
  const answerRef = useRef<AnswerState | null>(null);
  const setAnswer = useCallback((a: AnswerState | null) => {
    answerRef.current = a;
    setAnswerState(a);
  }, []);
  const mounted = useRef(true);

  // Leaving Study while recording discards the recording.
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      if (answerRef.current?.phase === 'recording') void studyAnswerCancel().catch(() => undefined);
    };
  }, []);

  // The deck the last refresh asked for, so that an answer for a deck since left is dropped.
  const deckRef = useRef<string | null>(deck);
  const refresh = useCallback(() => {
    const asked = deckRef.current;
    return Promise.all([studyDue(undefined, asked), studyStats(asked), studyDecks()]).then(
      ([due, st, ds]) => {
        if (deckRef.current !== asked) return;
        setQueue(due);
        setStats(st);
        setDecks(ds);
      },
      (err: unknown) => {
        reportError(err);
        setQueue((q) => q ?? []);
      },
    );
  }, [reportError]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const chooseDeck = useCallback(
    (area: string | null) => {
      if (area === deckRef.current || answerRef.current) return;
      deckRef.current = area;
      setDeck(area);
      setQueue(null);
      setStats(null);
      setRevealed(false);
      setOpenedId(null);
      setQuery('');
      void refresh();
    },
    [refresh],
  );

  // A card asked for from the nav rail's search opens over the queue.
  const [handledSeq, setHandledSeq] = useState<number | null>(null);
  if (openRequest && openRequest.seq !== handledSeq) {
    setHandledSeq(openRequest.seq);
    setQuery('');
    setOpenedId(openRequest.cardId);
  }

  const current = queue?.[0] ?? null;
  const activeId = openedId ?? current?.card_id ?? null;
  const nextId = queue?.[1]?.card_id ?? null;

  // The full card (body, key points) of the card on screen, and of the next one ahead of time.
  useEffect(() => {
    for (const id of [activeId, nextId]) {
      if (!id || cards[id]) continue;
      studyCard(id).then(
        (card) => setCards((prev) => ({ ...prev, [id]: card })),
        (err: unknown) => reportError(err),
      );
    }
  }, [activeId, nextId, cards, reportError]);

  // Search as you type.
  const trimmed = query.trim();
  const hits = useSearch(query);

  useEffect(() => {
    if (!last) return;
    const timer = window.setTimeout(() => setLast(null), NEXT_DUE_MS);
    return () => window.clearTimeout(timer);
  }, [last]);

  const grade = useCallback(
    async (g: ReviewGrade) => {
      if (!current || busy) return;
      setBusy(true);
      try {
        const schedule = await studyReview(current.card_id, g);
        setLast({ grade: g, title: current.title, intervalDays: schedule.interval_days, at: Date.now() });
        setRevealed(false);
        setAnswer(null);
        await refresh();
      } catch (err) {
        reportError(err);
      } finally {
        setBusy(false);
      }
    },
    [current, busy, refresh, reportError, setAnswer],
  );

  const inQueue = openedId === null && trimmed === '';
  const currentCard = current ? (cards[current.card_id] ?? null) : null;
  const canAnswerAloud = Boolean(currentCard && currentCard.key_points.length > 0);
  // The answer to the card on screen (an answer to a card since graded is ignored).
  const currentAnswer = answer && current && answer.cardId === current.card_id ? answer : null;

  const startAnswer = useCallback(async () => {
    if (!current || !canAnswerAloud || answerRef.current) return;
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
  }, [current, canAnswerAloud, reportError, setAnswer]);

  const stopAnswer = useCallback(async () => {
    const a = answerRef.current;
    if (a?.phase !== 'recording') return;
    setAnswer({ phase: 'transcribing', cardId: a.cardId });
    try {
      const result = await studyAnswerStop();
      setAnswer({ phase: 'done', cardId: a.cardId, result });
      setRevealed(true);
    } catch (err) {
      reportError(err);
      setAnswer(null);
    }
  }, [reportError, setAnswer]);

  const cancelAnswer = useCallback(() => {
    if (answerRef.current?.phase !== 'recording') return;
    setAnswer(null);
    studyAnswerCancel().catch(reportError);
  }, [reportError, setAnswer]);

  // Space shows the answer, 1-4 grade it, / goes to search, Escape closes an opened card.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      const typing =
        target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || Boolean(target?.isContentEditable);
      if (typing) {
        if (e.key === 'Escape' && target === searchRef.current) {
          setQuery('');
          searchRef.current?.blur();
        }
        return;
      }
      if (answerRef.current?.phase === 'recording') {
        // While recording: A or Enter stops, Escape discards; nothing else.
        if ((e.key === 'a' || e.key === 'A' || e.key === 'Enter') && !e.repeat) {
          e.preventDefault();
          void stopAnswer();
        } else if (e.key === 'Escape') {
          cancelAnswer();
        }
        return;
      }
      if (answerRef.current?.phase === 'starting' || answerRef.current?.phase === 'transcribing') return;
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === 'Escape' && openedId) {
        setOpenedId(null);
      } else if (inQueue && current && !revealed && canAnswerAloud && (e.key === 'a' || e.key === 'A') && !e.repeat) {
        e.preventDefault();
        void startAnswer();
      } else if (inQueue && current && !revealed && e.key === ' ') {
        e.preventDefault();
        setRevealed(true);
      } else if (inQueue && current && revealed && !e.repeat) {
        const match = GRADES.find((g) => g.key === e.key);
        if (match) {
          e.preventDefault();
          void grade(match.grade);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [inQueue, current, revealed, openedId, grade, canAnswerAloud, startAnswer, stopAnswer, cancelAnswer]);

  const dueCount = queue?.length ?? null;

  return (
    <div className="screen" data-testid="study-screen">
      <header className="study-header">
        <div className="screen-header">
          <h1>Study</h1>
          <p className="subtitle">Recall each card before you look, then say how it went: cards come back just before you would forget them.</p>
        </div>
        <div className="study-search-box">
          <svg className="search-icon" viewBox="0 0 24 24" aria-hidden="true">
            <circle cx="11" cy="11" r="6.5" />
            <path d="m16 16 4.5 4.5" />
          </svg>
          <input
            ref={searchRef}
            type="search"
            className="study-search"
            data-testid="study-search"
            placeholder="Search cards, terms and prompts"
            aria-label="Search cards, terms and prompts"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setOpenedId(null);
            }}
          />
          {query ? (
            <button type="button" className="icon-button search-clear" aria-label="Clear search" onClick={() => setQuery('')}>
              ×
            </button>
          ) : (
            <kbd className="search-kbd" aria-hidden="true">
              /
            </kbd>
          )}
        </div>
      </header>

      <DeckPicker decks={decks} deck={deck} onChoose={chooseDeck} disabled={answer !== null} />

      <div className="study-bar">
        <span
          className={`due-pill${dueCount === 0 ? ' none' : ''}`}
          data-testid="study-due-count"
          data-count={dueCount ?? ''}
        >
          {dueCount === null ? '…' : `${dueCount} due`}
        </span>
        <StatsLine stats={stats} />
      </div>

      {openedId ? (
        <OpenedCard
          card={cards[openedId] ?? null}
          backLabel={trimmed ? 'Back to results' : 'Back to study'}
          onBack={() => setOpenedId(null)}
        />
      ) : trimmed ? (
        <SearchResults query={trimmed} hits={hits} onOpen={setOpenedId} />
      ) : queue === null ? (
        <div className="card study-card study-loading">
          <p className="muted">Loading your cards…</p>
        </div>
      ) : current ? (
        <DueCardView
          key={current.card_id}
          due={current}
          card={currentCard}
          revealed={revealed}
          busy={busy}
          answer={currentAnswer}
          onReveal={() => setRevealed(true)}
          onAnswerAloud={() => void startAnswer()}
          onStopAnswer={() => void stopAnswer()}
          onGrade={(g) => void grade(g)}
        />
      ) : (
        <EmptyQueue stats={stats} />
      )}

      {last && inQueue && (
        <p key={last.at} className={`next-due grade-${last.grade}`} data-testid="study-next-due" role="status">
          <strong>{idLabel(last.grade)}:</strong> back in {formatInterval(last.intervalDays)}
          <span className="next-due-title"> · {last.title}</span>
        </p>
      )}
    </div>
  );
}

const AREA_LABELS: Record<string, string> = {
  'ml-fundamentals': 'ML fundamentals',
  'llm-apis': 'LLM APIs',
  agents: 'Agents',
  'system-design': 'System design',
  'coding-patterns': 'Coding patterns',
  practice: 'From practice',
};

/** The deck selector: every deck, then each topic area, each with how many cards are to study. */
function DeckPicker({
  decks,
  deck,
  onChoose,
  disabled,
}: {
  decks: StudyDeck[] | null;
  deck: string | null;
  onChoose: (area: string | null) => void;
  disabled: boolean;
}) {
  const options: { area: string | null; label: string; due: number | null }[] = [
    { area: null, label: 'All decks', due: decks ? decks.reduce((n, d) => n + d.due, 0) : null },
    ...(decks ?? []).map((d) => ({ area: d.area, label: AREA_LABELS[d.area] ?? idLabel(d.area), due: d.due })),
  ];
  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    const delta =
      e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!delta || disabled) return;
    e.preventDefault();
    const at = Math.max(0, options.findIndex((o) => o.area === deck));
    const next = options[(at + delta + options.length) % options.length]!;
    onChoose(next.area);
    e.currentTarget.querySelector<HTMLButtonElement>(`[data-area="${CSS.escape(next.area ?? 'all')}"]`)?.focus();
  };
  return (
    <div className="deck-picker" role="radiogroup" aria-label="Deck" data-testid="study-deck" onKeyDown={onKeyDown}>
      {options.map((o) => {
        const selected = o.area === deck;
        return (
          <button
            key={o.area ?? 'all'}
            type="button"
            role="radio"
            aria-checked={selected}
            tabIndex={selected ? 0 : -1}
            className={selected ? 'deck-option selected' : 'deck-option'}
            data-area={o.area ?? 'all'}
            data-count={o.due ?? ''}
            disabled={disabled && !selected}
            onClick={() => onChoose(o.area)}
          >
            <span>{o.label}</span>
            <span className="deck-count">{o.due ?? '…'}</span>
          </button>
        );
      })}
    </div>
  );
}

function StatsLine({ stats }: { stats: StudyStats | null }) {
  if (!stats) return <span className="study-stats muted" data-testid="study-stats" />;
  const retention = stats.retention === null ? '—' : `${Math.round(stats.retention * 100)} %`;
  return (
    <span className="study-stats" data-testid="study-stats">
      <span>
        <strong>{stats.due_today}</strong> due today
      </span>
      <span className="sep">·</span>
      <span>
        <strong>{stats.new}</strong> new
      </span>
      <span className="sep">·</span>
      <span>
        <strong>{stats.reviewed_total}</strong> reviewed
      </span>
      <span className="sep">·</span>
      <span title="Share of repeat reviews you recalled (Hard, Good or Easy)">
        <strong>{retention}</strong> retention
      </span>
      <span className="sep">·</span>
      <DueForecast days={stats.due_next_7_days} />
    </span>
  );
}

function CardFront({ kind, area, title }: { kind: string; area: string; title: string }) {
  return (
    <div className="study-front">
      <p className="eyebrow">
        {idLabel(kind)} · {idLabel(area)}
      </p>
      <h2 className="study-title">{title}</h2>
    </div>
  );
}

function CardAnswer({ card, spoken }: { card: StudyCard | null; spoken?: SpokenAnswer | null }) {
  if (!card) return <p className="muted" data-testid="study-answer">Loading the answer…</p>;
  return (
    <div className="study-answer" data-testid="study-answer">
      {spoken && <AnswerCoverageView result={spoken} />}
      {card.body.trim() && <Markdown source={card.body} className="study-body" />}
      {!spoken && card.key_points.length > 0 && (
        <section className="study-section">
          <h3>Key points</h3>
          <ul className="key-points">
            {card.key_points.map((kp) => (
              <li key={kp}>{kp}</li>
            ))}
          </ul>
        </section>
      )}
      {card.weak_answers.length > 0 && (
        <section className="study-section">
          <h3>Answers that lose the interviewer</h3>
          <ul className="weak-answers">
            {card.weak_answers.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      )}
      {card.followups.length > 0 && (
        <section className="study-section">
          <h3>What they ask next</h3>
          <ul className="plain-bullets">
            {card.followups.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

interface DueCardViewProps {
  due: DueCard;
  card: StudyCard | null;
  revealed: boolean;
  busy: boolean;
  answer: AnswerState | null;
  onReveal: () => void;
  onAnswerAloud: () => void;
  onStopAnswer: () => void;
  onGrade: (grade: ReviewGrade) => void;
}

function DueCardView({ due, card, revealed, busy, answer, onReveal, onAnswerAloud, onStopAnswer, onGrade }: DueCardViewProps) {
  const spoken = answer?.phase === 'done' ? answer.result : null;
  const suggested = spoken?.coverage.suggested_grade ?? null;
  const canAnswerAloud = Boolean(card && card.key_points.length > 0);
  return (
    <article
      className="card study-card"
      data-testid="study-card"
      data-card-id={due.card_id}
      data-area={due.area}
      data-revealed={revealed}
    >
      <div className="study-card-head">
        <CardFront kind={due.kind} area={due.area} title={due.title} />
        <span className={`state-chip state-${due.state}`}>{due.state === 'new' ? 'New' : idLabel(due.state)}</span>
      </div>
      {due.reason && (
        <p className="study-reason" data-testid="study-reason">
          From your practice: {due.reason}
        </p>
      )}
      {revealed ? (
        <>
          <CardAnswer card={card} spoken={spoken} />
          <div className="grade-row" role="group" aria-label="How well did you recall it?">
            <p className="grade-prompt muted">
              {suggested
                ? `How well did you recall it? From the key points your answer covered, ${idLabel(suggested)} is suggested; the choice is yours.`
                : 'How well did you recall it?'}
            </p>
            <div className="grade-buttons">
              {GRADES.map((g) => (
                <button
                  key={g.grade}
                  type="button"
                  className={`grade-button grade-${g.grade}${suggested === g.grade ? ' suggested' : ''}`}
                  data-testid={`study-grade-${g.grade}`}
                  disabled={busy}
                  title={g.hint}
                  onClick={() => onGrade(g.grade)}
                >
                  <span className="grade-label">{g.label}</span>
                  {suggested === g.grade && (
                    <span className="suggested-badge" data-testid="study-suggested-grade" data-grade={g.grade}>
                      Suggested
                    </span>
                  )}
                  <kbd>{g.key}</kbd>
                </button>
              ))}
            </div>
          </div>
        </>
      ) : answer ? (
        <AnswerRecorder state={answer} onStop={onStopAnswer} />
      ) : (
        <div className="study-reveal">
          <p className="muted">
            {canAnswerAloud
              ? 'Answer it out loud: Rehearse checks your answer against the key points.'
              : due.kind === 'question'
                ? 'Answer it out loud or in your head first.'
                : 'Recall what you know about it first.'}
          </p>
          <div className="study-reveal-actions">
            {canAnswerAloud && (
              <button type="button" className="button" data-testid="study-answer-aloud" onClick={onAnswerAloud}>
                <span className="mic-glyph" aria-hidden="true">●</span> Answer out loud <kbd>A</kbd>
              </button>
            )}
            <button type="button" className="button primary" data-testid="study-show-answer" onClick={onReveal}>
              Show answer <kbd className="on-primary">Space</kbd>
            </button>
          </div>
        </div>
      )}
    </article>
  );
}

function OpenedCard({ card, backLabel, onBack }: { card: StudyCard | null; backLabel: string; onBack: () => void }) {
  return (
    <article
      className="card study-card"
      data-testid="study-card"
      data-card-id={card?.card_id ?? ''}
      data-area={card?.area ?? ''}
      data-revealed
    >
      <button type="button" className="as-link back-link" onClick={onBack}>
        ← {backLabel}
      </button>
      {card ? (
        <>
          <CardFront kind={card.kind} area={card.area} title={card.title} />
          <CardAnswer card={card} />
        </>
      ) : (
        <p className="muted">Loading the card…</p>
      )}
    </article>
  );
}

function SearchResults({ query, hits, onOpen }: { query: string; hits: SearchHit[] | null; onOpen: (id: string) => void }) {
  if (hits === null) {
    return (
      <div className="card search-results">
        <p className="muted">Searching…</p>
      </div>
    );
  }
  if (hits.length === 0) {
    return (
      <div className="card empty-state">
        <p className="empty-title">Nothing matches “{query}”</p>
        <p className="muted">Every word must occur. Try fewer or different words.</p>
      </div>
    );
  }
  return (
    <section className="card search-results" aria-label="Search results">
      <p className="eyebrow">
        {hits.length} result{hits.length === 1 ? '' : 's'} for “{query}”
      </p>
      <ul className="hit-list">
        {hits.map((hit) => {
          const body = (
            <>
              <span className="hit-head">
                <span className={`kind-chip kind-${hit.kind}`}>{idLabel(hit.kind)}</span>
                <span className="hit-title">{hit.title}</span>
              </span>
              <span className="hit-snippet">
                {snippetParts(hit.snippet).map((part, i) =>
                  part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
                )}
              </span>
            </>
          );
          return (
            <li key={`${hit.kind}:${hit.id}`}>
              {hit.kind === 'card' ? (
                <button
                  type="button"
                  className="hit"
                  data-testid="study-search-hit"
                  data-kind={hit.kind}
                  data-id={hit.id}
                  onClick={() => onOpen(hit.id)}
                >
                  {body}
                </button>
              ) : (
                <div className="hit static" data-testid="study-search-hit" data-kind={hit.kind} data-id={hit.id}>
                  {body}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function EmptyQueue({ stats }: { stats: StudyStats | null }) {
  const upcoming = stats?.due_next_7_days.slice(1).reduce((a, b) => a + b, 0) ?? 0;
  const tomorrow = stats?.due_next_7_days[1] ?? 0;
  return (
    <div className="card empty-state study-empty" data-testid="study-empty">
      <p className="empty-title">Nothing is due. Well done.</p>
      <p className="muted">
        {tomorrow > 0
          ? `${tomorrow} card${tomorrow === 1 ? '' : 's'} come${tomorrow === 1 ? 's' : ''} back tomorrow, ${upcoming} this week.`
          : upcoming > 0
            ? `${upcoming} card${upcoming === 1 ? '' : 's'} come${upcoming === 1 ? 's' : ''} back this week.`
            : 'Practise a prompt out loud, or search the cards above to read up on a topic.'}
      </p>
    </div>
  );
}
