import { useCallback, useEffect, useRef, useState } from 'react';
import type { PromptInfo } from '../bindings/PromptInfo';
import type { SessionReport } from '../bindings/SessionReport';
import type { SessionSummary } from '../bindings/SessionSummary';
import { Scorecard } from '../components/Scorecard';
import { Timeline } from '../components/Timeline';
import { formatDuration, formatLocalDateTime, statusLabel } from '../format';
import { deleteSession, getSession } from '../ipc';
import { AudioPlayer } from './AudioPlayer';
import { promptTitle } from './SessionList';

interface Props {
  sessionId: string;
  summary: SessionSummary | null;
  prompts: PromptInfo[] | null;
  onDeleted: (id: string) => void;
  reportError: (err: unknown) => void;
}

export function SessionDetail({ sessionId, summary, prompts, onDeleted, reportError }: Props) {
  const [report, setReport] = useState<SessionReport | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [time, setTime] = useState(0);
  const audioRef = useRef<HTMLAudioElement | null>(null);

  useEffect(() => {
    let cancelled = false;
    getSession(sessionId).then(
      (r) => !cancelled && setReport(r),
      (err: unknown) => {
        if (cancelled) return;
        reportError(err);
        setFailed(sessionId);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [sessionId, reportError]);

  const seek = useCallback((seconds: number) => {
    const audio = audioRef.current;
    if (!audio) return;
    audio.currentTime = seconds;
    void audio.play().catch(() => undefined);
  }, []);

  const remove = async () => {
    setDeleting(true);
    try {
      await deleteSession(sessionId);
      onDeleted(sessionId);
    } catch (err) {
      reportError(err);
      setDeleting(false);
      setConfirming(false);
    }
  };

  const shown = report?.session_id === sessionId ? report : null;
  const promptId = shown?.prompt_id ?? summary?.prompt_id ?? '';

  return (
    <article className="session-detail" data-testid="session-detail" data-session-id={sessionId} aria-busy={!shown && failed !== sessionId}>
      <header className="detail-header">
        <div>
          <p className="eyebrow">Session</p>
          <h2>{promptTitle(prompts, promptId)}</h2>
          {summary && (
            <p className="muted">
              {formatLocalDateTime(summary.started_at)} · {formatDuration(summary.duration_s)} · {statusLabel(summary.status)}
            </p>
          )}
        </div>
        {!confirming && (
          <button type="button" className="button secondary danger-text" onClick={() => setConfirming(true)} data-testid="delete-session">
            Delete…
          </button>
        )}
      </header>

      {confirming && (
        <div className="confirm" role="group" aria-label="Confirm delete">
          <span>Delete this session, its recording and its scorecard? This cannot be undone.</span>
          <button type="button" className="button secondary" onClick={() => setConfirming(false)} disabled={deleting} data-testid="cancel-delete">
            Cancel
          </button>
          <button type="button" className="button danger" onClick={() => void remove()} disabled={deleting} data-testid="confirm-delete">
            {deleting ? 'Deleting…' : 'Delete session'}
          </button>
        </div>
      )}

      <AudioPlayer sessionId={sessionId} audioRef={audioRef} onTime={setTime} reportError={reportError} />

      {!shown ? (
        <p className="muted">{failed === sessionId ? 'This session could not be opened.' : 'Opening the session…'}</p>
      ) : (
        <>
          <section className="card" aria-labelledby="review-transcript">
            <h3 id="review-transcript">Transcript and follow-ups</h3>
            <Timeline
              segments={shown.transcript.segments}
              turns={shown.turns}
              currentTime={time}
              onSeek={seek}
              emptyText="Nothing was transcribed in this session."
            />
          </section>
          <Scorecard scorecard={shown.scorecard} onSeek={seek} />
        </>
      )}
    </article>
  );
}
