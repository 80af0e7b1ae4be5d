import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { DeliveryAnalytics } from '../bindings/DeliveryAnalytics';
import type { PromptInfo } from '../bindings/PromptInfo';
import type { ScoreVersion } from '../bindings/ScoreVersion';
import type { SessionReport } from '../bindings/SessionReport';
import type { SessionSummary } from '../bindings/SessionSummary';
import { BoardAtTime } from '../board/BoardAtTime';
import { Scorecard } from '../components/Scorecard';
import { TradeOffList } from '../components/TradeOffList';
import { formatDuration, formatLocalDateTime, statusLabel } from '../format';
import { correctSegment, deleteSession, getSession, scoreHistory, sessionAnalytics } from '../ipc';
import { DeliveryCharts } from './DeliveryCharts';
import { ExportButtons } from './ExportButtons';
import { segmentAt } from './playback';
import { Retranscribe } from './Retranscribe';
import { ReviewTranscript } from './ReviewTranscript';
import { ScoreHistory } from './ScoreHistory';
import { promptTitle } from './SessionList';
import { measureToNextFrame } from './timing';
import { WavePlayer, type PlayerHandle } from './WavePlayer';
import './review.css';
import { useReportError } from '../components/errors';

interface Props {
  sessionId: string;
  summary: SessionSummary | null;
  prompts: PromptInfo[] | null;
  onDeleted: (id: string) => void;
  /** The session's scores changed (a correction re-scored it): the list refreshes its row. */
  onChanged?: (id: string) => void;
}

/**
 * One session, everything in step with the audio: the waveform player with the delivery
 * charts on its time axis, the transcript following the playhead (click a line to seek, Edit
 * to correct it), the scorecard whose evidence seeks, and the history of its scores.
 */
export function SessionDetail({ sessionId, summary, prompts, onDeleted, onChanged }: Props) {
  const reportError = useReportError();
  const [report, setReport] = useState<SessionReport | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [analytics, setAnalytics] = useState<DeliveryAnalytics | null>(null);
  const [history, setHistory] = useState<ScoreVersion[] | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [time, setTime] = useState(0);
  const player = useRef<PlayerHandle | null>(null);

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
    // Secondary panels: a failure there leaves the transcript and scorecard usable.
    sessionAnalytics(sessionId).then(
      (a) => !cancelled && setAnalytics(a),
      (err: unknown) => !cancelled && reportError(err),
    );
    scoreHistory(sessionId).then(
      (h) => !cancelled && setHistory(h),
      (err: unknown) => !cancelled && reportError(err),
    );
    return () => {
      cancelled = true;
    };
  }, [sessionId, reportError]);

  const seek = useCallback((seconds: number) => player.current?.seek(seconds), []);

  const shown = report?.session_id === sessionId ? report : null;

  // From the click that opened the session (this mount) to its transcript and scorecard on screen.
  const [openedAt] = useState(() => performance.now());
  const measured = useRef(false);
  useLayoutEffect(() => {
    if (!shown || measured.current) return;
    measured.current = true;
    measureToNextFrame('review:session-open', openedAt);
  }, [shown, openedAt]);
  const segments = useMemo(() => shown?.transcript.segments ?? [], [shown]);
  const activeIndex = useMemo(() => segmentAt(segments, time), [segments, time]);

  const correct = useCallback(
    async (index: number, text: string) => {
      const ref = shown?.segment_refs[index];
      if (!ref) throw new Error('This line cannot be corrected: the store does not know it.');
      const next = await correctSegment(sessionId, ref.id, text);
      setReport(next);
      onChanged?.(sessionId);
      // History and analytics follow the new text; failures here are not the correction's.
      scoreHistory(sessionId).then(setHistory, reportError);
      sessionAnalytics(sessionId).then(setAnalytics, reportError);
    },
    [shown, sessionId, onChanged, reportError],
  );

  // A re-transcription replaced the transcript and re-scored: everything derived follows.
  const replaced = useCallback(
    (next: SessionReport) => {
      setReport(next);
      onChanged?.(sessionId);
      scoreHistory(sessionId).then(setHistory, reportError);
      sessionAnalytics(sessionId).then(setAnalytics, reportError);
    },
    [sessionId, onChanged, reportError],
  );

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

  const promptId = shown?.prompt_id ?? summary?.prompt_id ?? '';
  const startedAt = summary?.started_at ?? shown?.started_at ?? '';
  const durationS = shown?.audio.duration_s ?? summary?.duration_s ?? 0;
  const status = shown?.status ?? summary?.status ?? 'done';
  const audioAvailable = shown ? shown.audio.available !== false : true;

  return (
    <article
      className="session-detail"
      data-testid="session-detail"
      data-session-id={sessionId}
      data-ready={shown ? 'true' : 'false'}
      aria-busy={!shown && failed !== sessionId}
    >
      <header className="detail-header">
        <div>
          <p className="eyebrow">Session</p>
          <h2>{summary?.prompt_title || promptTitle(prompts, promptId)}</h2>
          <p className="muted">
            {startedAt && `${formatLocalDateTime(startedAt)} · `}
            {formatDuration(durationS)} · {statusLabel(status)}
            {shown?.score_version != null && ` · scores v${shown.score_version}`}
          </p>
        </div>
        <div className="detail-actions">
          {!confirming && (
            <button type="button" className="button secondary danger-text" onClick={() => setConfirming(true)} data-testid="delete-session">
              Delete…
            </button>
          )}
        </div>
      </header>

      {shown && (
        <div className="detail-toolbar">
          {audioAvailable && <Retranscribe sessionId={sessionId} onDone={replaced} />}
          <ExportButtons sessionId={sessionId} />
        </div>
      )}

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

      {audioAvailable ? (
        <WavePlayer sessionId={sessionId} durationHint={durationS} handle={player} onTime={setTime}>
          {analytics && <DeliveryCharts analytics={analytics} durationS={durationS} time={time} onSeek={seek} />}
        </WavePlayer>
      ) : (
        <div className="card wave-player" data-testid="audio-player" data-playhead-s="0.00" data-state="discarded">
          <p className="muted">The recording was discarded after scoring (Settings → keep audio); the transcript and scores remain.</p>
          {analytics && <DeliveryCharts analytics={analytics} durationS={durationS} time={time} onSeek={setTime} />}
        </div>
      )}

      {/* The board as it was at the playhead; the final board before playback starts. */}
      <BoardAtTime sessionId={sessionId} timeS={time > 0 ? time : null} exportBase={promptId || sessionId} />

      {!shown ? (
        <p className="muted">{failed === sessionId ? 'This session could not be opened.' : 'Opening the session…'}</p>
      ) : (
        <div className="review-columns">
          <section className="card review-transcript-card" aria-labelledby="review-transcript">
            <h3 id="review-transcript">Transcript and follow-ups</h3>
            <ReviewTranscript
              segments={segments}
              turns={shown.turns}
              activeIndex={activeIndex}
              onSeek={seek}
              onCorrect={shown.segment_refs.length === segments.length ? correct : undefined}
            />
          </section>
          <div className="review-side">
            <Scorecard scorecard={shown.scorecard} onSeek={seek} />
            {shown.scorecard.dimensions.length > 0 && <TradeOffList decisions={shown.scorecard.tradeoffs ?? []} onSeek={seek} />}
            <ScoreHistory versions={history} />
          </div>
        </div>
      )}
    </article>
  );
}
