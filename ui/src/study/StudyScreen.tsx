import { useRef } from 'react';
import type { StudyStats } from '../bindings/StudyStats';
import { useSearch } from '../components/useSearch';
import { formatInterval, idLabel } from '../format';
import { DeckPicker } from './DeckPicker';
import { DueForecast } from './DueForecast';
import { SearchResults } from './SearchResults';
import { DueCardView, OpenedCard } from './StudyCardViews';
import { useStudy } from './useStudy';
import './study.css';

interface Props {
  /** A card to open (from the search in the nav rail); seq changes with every request. */
  openRequest?: { cardId: string; seq: number } | null;
}

export function StudyScreen({ openRequest = null }: Props) {
  const searchRef = useRef<HTMLInputElement>(null);
  const { state, view, dispatch, chooseDeck, grade, startAnswer, stopAnswer } = useStudy(openRequest, searchRef);
  const { current, currentCard, currentAnswer, inQueue, trimmedQuery } = view;
  const { last } = state;
  // Search as you type.
  const hits = useSearch(state.query);

  const dueCount = state.queue?.length ?? null;

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
            value={state.query}
            onChange={(e) => dispatch({ type: 'query-typed', query: e.target.value })}
          />
          {state.query ? (
            <button type="button" className="icon-button search-clear" aria-label="Clear search" onClick={() => dispatch({ type: 'query-cleared' })}>
              ×
            </button>
          ) : (
            <kbd className="search-kbd" aria-hidden="true">
              /
            </kbd>
          )}
        </div>
      </header>

      <DeckPicker decks={state.decks} deck={state.deck} onChoose={chooseDeck} disabled={state.answer !== null} />

      <div className="study-bar">
        <span
          className={`due-pill${dueCount === 0 ? ' none' : ''}`}
          data-testid="study-due-count"
          data-count={dueCount ?? ''}
        >
          {dueCount === null ? '…' : `${dueCount} due`}
        </span>
        <StatsLine stats={state.stats} />
      </div>

      {state.openedId ? (
        <OpenedCard
          card={state.cards[state.openedId] ?? null}
          backLabel={trimmedQuery ? 'Back to results' : 'Back to study'}
          onBack={() => dispatch({ type: 'card-closed' })}
        />
      ) : trimmedQuery ? (
        <SearchResults query={trimmedQuery} hits={hits} onOpen={(cardId) => dispatch({ type: 'card-opened', cardId })} />
      ) : state.queue === null ? (
        <div className="card study-card study-loading">
          <p className="muted">Loading your cards…</p>
        </div>
      ) : current ? (
        <DueCardView
          key={current.card_id}
          due={current}
          card={currentCard}
          revealed={state.revealed}
          busy={state.busy}
          answer={currentAnswer}
          onReveal={() => dispatch({ type: 'revealed' })}
          onAnswerAloud={() => void startAnswer()}
          onStopAnswer={() => void stopAnswer()}
          onGrade={(g) => void grade(g)}
        />
      ) : (
        <EmptyQueue stats={state.stats} />
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
