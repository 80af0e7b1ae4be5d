import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { PromptInfo } from '../bindings/PromptInfo';
import type { SessionQuery } from '../bindings/SessionQuery';
import type { SessionSummary } from '../bindings/SessionSummary';
import { formatLocalDateTime, formatOverall } from '../format';
import { deleteSession, finishSession, querySessions, sessionAttempts } from '../ipc';
import { ComparePanel } from './ComparePanel';
import { SessionDetail } from './SessionDetail';
import { SessionFilters } from './SessionFilters';
import { promptTitle, SessionList } from './SessionList';
import { EMPTY_QUERY, normaliseQuery } from './sessionQuery';
import { measureToNextFrame } from './timing';
import './review.css';
import './sessions.css';
import { useReportError } from '../components/errors';

interface Props {
  prompts: PromptInfo[] | null;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}

// Typing in the search box waits this long before asking the engine (one query per pause).
const SEARCH_DEBOUNCE_MS = 150;

export function ReviewScreen({ prompts, selectedId, onSelect }: Props) {
  const reportError = useReportError();
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [query, setQuery] = useState<SessionQuery>(EMPTY_QUERY);
  // Bumped to refetch the list with the same query (after a finish, delete or correction).
  const [reload, setReload] = useState(0);
  const [compareWith, setCompareWith] = useState<string | null>(null);
  const normalised = useMemo(() => normaliseQuery(query), [query]);
  const filtered = Object.values(normalised).some((v) => v !== null);

  // When the engine's answer arrived and when the query was sent (for the timings below).
  const answeredAt = useRef<{ sent: number; answered: number } | null>(null);

  useEffect(() => {
    let cancelled = false;
    const timer = window.setTimeout(
      () => {
        const sent = performance.now();
        querySessions(normalised).then(
          (list) => {
            if (cancelled) return;
            answeredAt.current = { sent, answered: performance.now() };
            setSessions(list);
          },
          (err: unknown) => {
            if (cancelled) return;
            reportError(err);
            setSessions([]);
          },
        );
      },
      normalised.text ? SEARCH_DEBOUNCE_MS : 0,
    );
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [normalised, reload, reportError]);

  useLayoutEffect(() => {
    const t = answeredAt.current;
    if (!t || sessions === null) return;
    answeredAt.current = null;
    measureToNextFrame('review:list-render', t.answered);
    measureToNextFrame('review:list-query', t.sent);
  }, [sessions]);

  const refresh = useCallback(() => setReload((n) => n + 1), []);

  const select = useCallback(
    (id: string | null) => {
      setCompareWith(null);
      onSelect(id);
    },
    [onSelect],
  );

  const finish = useCallback(
    async (id: string) => {
      try {
        await finishSession(id);
        refresh();
        select(id);
      } catch (err) {
        reportError(err);
      }
    },
    [refresh, select, reportError],
  );

  const remove = useCallback(
    async (id: string) => {
      try {
        await deleteSession(id);
        setSessions((prev) => prev?.filter((s) => s.session_id !== id) ?? prev);
        if (id === selectedId) select(null);
      } catch (err) {
        reportError(err);
      }
    },
    [selectedId, select, reportError],
  );

  const summary = sessions?.find((s) => s.session_id === selectedId) ?? null;
  const attemptsPrompt = summary?.prompt_id ?? null;
  // Attempts come from the store, not the list on screen: a filter must not hide them.
  const [attemptsFor, setAttemptsFor] = useState<{ key: string; list: SessionSummary[] } | null>(null);
  useEffect(() => {
    if (!selectedId || !attemptsPrompt) return;
    let cancelled = false;
    const key = `${selectedId}|${attemptsPrompt}|${reload}`;
    sessionAttempts(attemptsPrompt).then(
      (list) => !cancelled && setAttemptsFor({ key, list: list.filter((s) => s.session_id !== selectedId) }),
      (err: unknown) => !cancelled && reportError(err),
    );
    return () => {
      cancelled = true;
    };
  }, [selectedId, attemptsPrompt, reload, reportError]);
  const attempts = attemptsFor && attemptsFor.key === `${selectedId}|${attemptsPrompt}|${reload}` ? attemptsFor.list : [];
  const compareSummary = attempts.find((s) => s.session_id === compareWith) ?? null;
  const title = summary ? summary.prompt_title || promptTitle(prompts, summary.prompt_id) : '';
  // Earlier attempt on the left.
  const pair = summary && compareSummary ? [summary, compareSummary].sort((x, y) => x.started_at.localeCompare(y.started_at)) : null;

  const noSessionsAtAll = sessions !== null && sessions.length === 0 && !filtered;

  return (
    <div className="screen" data-testid="review-screen">
      <header className="screen-header">
        <h1>Review</h1>
        <p className="subtitle">Replay a session with its transcript, the follow-ups you were asked and the scorecard.</p>
      </header>
      {noSessionsAtAll ? (
        <div className="card review-empty">
          <SessionList sessions={sessions} prompts={prompts} selectedId={null} onSelect={select} />
        </div>
      ) : (
        <div className="review-grid">
          <nav className="card session-list-card" aria-label="Sessions">
            <SessionFilters query={query} prompts={prompts} onChange={setQuery} count={sessions?.length ?? null} />
            <SessionList
              sessions={sessions}
              prompts={prompts}
              selectedId={selectedId}
              onSelect={select}
              filtered={filtered}
              onFinish={finish}
              onDelete={remove}
            />
          </nav>
          <div className="review-detail">
            {selectedId && attempts.length > 0 && !pair && (
              <div className="attempts-bar" role="group" aria-label="Attempts at this prompt">
                <span className="muted">
                  {attempts.length} other attempt{attempts.length === 1 ? '' : 's'} at this prompt
                </span>
                <select
                  value=""
                  onChange={(e) => setCompareWith(e.target.value || null)}
                  aria-label="Compare with an attempt"
                  data-testid="compare-with"
                >
                  <option value="">Compare with…</option>
                  {attempts.map((s) => (
                    <option key={s.session_id} value={s.session_id}>
                      {formatLocalDateTime(s.started_at)} · overall {formatOverall(s.overall)}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {pair ? (
              <ComparePanel
                a={pair[0]!.session_id}
                b={pair[1]!.session_id}
                title={title}
                onClose={() => setCompareWith(null)}
                onOpen={select}
              />
            ) : selectedId ? (
              <SessionDetail
                key={selectedId}
                sessionId={selectedId}
                summary={summary}
                prompts={prompts}
                onChanged={refresh}
                onDeleted={(id) => {
                  setSessions((prev) => prev?.filter((s) => s.session_id !== id) ?? prev);
                  select(null);
                }}
              />
            ) : (
              sessions !== null && (
                <div className="empty-state">
                  <p className="empty-title">Pick a session</p>
                  <p className="muted">Choose a session on the left to replay it.</p>
                </div>
              )
            )}
          </div>
        </div>
      )}
    </div>
  );
}
