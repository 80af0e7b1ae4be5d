import { memo, useEffect, useRef, useState } from 'react';
import type { PromptInfo } from '../bindings/PromptInfo';
import type { SessionSummary } from '../bindings/SessionSummary';
import {
  clampLevel,
  dimensionLabel,
  formatDuration,
  formatLocalDateTime,
  formatOverall,
  levelLabel,
  snippetParts,
  statusLabel,
} from '../format';
import { DIMENSION_ORDER, levelStrip } from './sessionQuery';

interface Props {
  sessions: SessionSummary[] | null;
  prompts: PromptInfo[] | null;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** A query is active: an empty result says "no match", not "no sessions yet". */
  filtered?: boolean;
  /** Score an interrupted session from what was saved. */
  onFinish?: (id: string) => Promise<void>;
  /** Delete a session (after the row's own confirmation). */
  onDelete?: (id: string) => Promise<void>;
}

export function promptTitle(prompts: PromptInfo[] | null, id: string): string {
  return prompts?.find((p) => p.id === id)?.title ?? id;
}

/** Stored sessions: prompt, date, duration, overall and per-dimension levels, grader, status. */
export function SessionList({ sessions, prompts, selectedId, onSelect, filtered, onFinish, onDelete }: Props) {
  if (sessions === null) return <p className="muted pad">Loading sessions…</p>;
  if (sessions.length === 0) {
    if (filtered) {
      return (
        <div className="empty-state" data-testid="sessions-no-match">
          <p className="empty-title">No session matches</p>
          <p className="muted">Try other words or clear the filters.</p>
        </div>
      );
    }
    return (
      <div className="empty-state" data-testid="sessions-empty">
        <p className="empty-title">No sessions yet</p>
        <p className="muted">Sessions you record on the Practice screen are kept here, with their audio, transcript and scorecard.</p>
      </div>
    );
  }
  return <Rows sessions={sessions} prompts={prompts} selectedId={selectedId} onSelect={onSelect} onFinish={onFinish} onDelete={onDelete} />;
}

// A thousand rows are ~20,000 DOM nodes: the list shows the first FIRST_ROWS at once and
// grows by MORE_ROWS whenever its end scrolls near view, so that opening Review and every
// search answer stay fast however many sessions there are.
const FIRST_ROWS = 60;
const MORE_ROWS = 200;

function Rows({ sessions, prompts, selectedId, onSelect, onFinish, onDelete }: Props & { sessions: SessionSummary[] }) {
  const [limit, setLimit] = useState(FIRST_ROWS);
  const [listed, setListed] = useState(sessions);
  const sentinel = useRef<HTMLLIElement>(null);
  // A new answer (search, filter) starts from the top again.
  if (listed !== sessions) {
    setListed(sessions);
    setLimit(FIRST_ROWS);
  }
  // The selected session stays in the list even when it is further down.
  const selectedIndex = selectedId ? sessions.findIndex((s) => s.session_id === selectedId) : -1;
  const shown = Math.min(sessions.length, Math.max(limit, selectedIndex + 1));

  useEffect(() => {
    const el = sentinel.current;
    if (!el || shown >= sessions.length) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setLimit((n) => n + MORE_ROWS);
      },
      { rootMargin: '600px' },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [shown, sessions.length]);

  return (
    <ul className="session-list" data-testid="sessions-list" aria-label="Recorded sessions" data-total={sessions.length}>
      {sessions.slice(0, shown).map((s) => (
        <SessionRow
          key={s.session_id}
          session={s}
          title={s.prompt_title || promptTitle(prompts, s.prompt_id)}
          selected={s.session_id === selectedId}
          onSelect={onSelect}
          onFinish={onFinish}
          onDelete={onDelete}
        />
      ))}
      {shown < sessions.length && (
        <li ref={sentinel} className="muted pad" data-testid="sessions-more">
          {sessions.length - shown} more…
        </li>
      )}
    </ul>
  );
}

interface RowProps {
  session: SessionSummary;
  title: string;
  selected: boolean;
  onSelect: (id: string) => void;
  onFinish?: (id: string) => Promise<void>;
  onDelete?: (id: string) => Promise<void>;
}

const SessionRow = memo(function SessionRow({ session: s, title, selected, onSelect, onFinish, onDelete }: RowProps) {
  const [busy, setBusy] = useState<'finish' | 'delete' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const interrupted = s.status === 'interrupted';
  const strip = levelStrip(s.levels ?? []);

  const act = async (kind: 'finish' | 'delete', fn?: (id: string) => Promise<void>) => {
    if (!fn) return;
    setBusy(kind);
    try {
      await fn(s.session_id);
    } finally {
      setBusy(null);
      setConfirming(false);
    }
  };

  return (
    <li data-testid="session-item" data-status={s.status}>
      <button
        type="button"
        className={selected ? 'session-row selected' : 'session-row'}
        aria-current={selected ? 'true' : undefined}
        data-testid="session-row"
        data-session-id={s.session_id}
        data-prompt-id={s.prompt_id}
        onClick={() => onSelect(s.session_id)}
      >
        <span className="session-row-line">
          <span className="session-title">{title}</span>
          <span
            className={s.overall === null ? 'overall-chip unscored' : `overall-chip level-${clampLevel(s.overall)}`}
            title="Overall level: the mean of the eight dimensions, 0 to 4"
            aria-label={s.overall === null ? 'Not scored' : `Overall ${formatOverall(s.overall)} of 4`}
          >
            {formatOverall(s.overall)}
          </span>
        </span>
        <span className="session-row-line">
          <span className="session-meta">
            {formatLocalDateTime(s.started_at)} · {formatDuration(s.duration_s)}
            {s.grader ? ` · ${s.grader}` : ''}
          </span>
          <span className={`status-chip status-${s.status}`}>{statusLabel(s.status)}</span>
        </span>
        {strip.some((l) => l !== null) && (
          <span className="level-strip" aria-label="Levels per dimension">
            {strip.map((level, i) => {
              const dim = DIMENSION_ORDER[i]!;
              return (
                <span
                  key={dim}
                  className={level === null ? 'cell' : `cell level-${clampLevel(level)}`}
                  title={`${dimensionLabel(dim)}: ${level === null ? 'not scored' : `${level} (${levelLabel(level)})`}`}
                />
              );
            })}
          </span>
        )}
        {s.snippet && (
          <span className="session-snippet" data-testid="session-snippet">
            {snippetParts(s.snippet).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
          </span>
        )}
      </button>
      {interrupted && (onFinish || onDelete) && (
        <div className="session-row-actions" role="group" aria-label="Interrupted session">
          {confirming ? (
            <>
              <span className="muted">Delete it?</span>
              <button type="button" className="button secondary" onClick={() => setConfirming(false)} disabled={busy !== null}>
                Keep
              </button>
              <button type="button" className="button danger" onClick={() => void act('delete', onDelete)} disabled={busy !== null} data-testid="row-confirm-delete">
                {busy === 'delete' ? 'Deleting…' : 'Delete'}
              </button>
            </>
          ) : (
            <>
              {onFinish && (
                <button type="button" className="button primary" onClick={() => void act('finish', onFinish)} disabled={busy !== null} data-testid="finish-session">
                  {busy === 'finish' ? 'Scoring…' : 'Finish and score'}
                </button>
              )}
              {onDelete && (
                <button type="button" className="button secondary danger-text" onClick={() => setConfirming(true)} disabled={busy !== null} data-testid="row-delete">
                  Delete…
                </button>
              )}
            </>
          )}
        </div>
      )}
    </li>
  );
});
