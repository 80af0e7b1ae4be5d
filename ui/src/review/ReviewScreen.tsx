import { useEffect, useState } from 'react';
import type { PromptInfo } from '../bindings/PromptInfo';
import type { SessionSummary } from '../bindings/SessionSummary';
import { listSessions } from '../ipc';
import { SessionDetail } from './SessionDetail';
import { SessionList } from './SessionList';

interface Props {
  prompts: PromptInfo[] | null;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  reportError: (err: unknown) => void;
}

export function ReviewScreen({ prompts, selectedId, onSelect, reportError }: Props) {
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);

  useEffect(() => {
    let cancelled = false;
    listSessions().then(
      (list) => !cancelled && setSessions(list),
      (err: unknown) => {
        if (cancelled) return;
        reportError(err);
        setSessions([]);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [reportError]);

  const summary = sessions?.find((s) => s.session_id === selectedId) ?? null;

  return (
    <div className="screen" data-testid="review-screen">
      <header className="screen-header">
        <h1>Review</h1>
        <p className="subtitle">Replay a session with its transcript, the follow-ups you were asked and the scorecard.</p>
      </header>
      {sessions !== null && sessions.length === 0 ? (
        <div className="card review-empty">
          <SessionList sessions={sessions} prompts={prompts} selectedId={null} onSelect={onSelect} />
        </div>
      ) : (
        <div className="review-grid">
          <nav className="card session-list-card" aria-label="Sessions">
            <SessionList sessions={sessions} prompts={prompts} selectedId={selectedId} onSelect={onSelect} />
          </nav>
          <div className="review-detail">
            {selectedId ? (
              <SessionDetail
                key={selectedId}
                sessionId={selectedId}
                summary={summary}
                prompts={prompts}
                reportError={reportError}
                onDeleted={(id) => {
                  setSessions((prev) => prev?.filter((s) => s.session_id !== id) ?? prev);
                  onSelect(null);
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
