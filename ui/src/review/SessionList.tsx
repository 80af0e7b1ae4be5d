import type { PromptInfo } from '../bindings/PromptInfo';
import type { SessionSummary } from '../bindings/SessionSummary';
import { clampLevel, formatDuration, formatLocalDateTime, formatOverall, statusLabel } from '../format';

interface Props {
  sessions: SessionSummary[] | null;
  prompts: PromptInfo[] | null;
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function promptTitle(prompts: PromptInfo[] | null, id: string): string {
  return prompts?.find((p) => p.id === id)?.title ?? id;
}

export function SessionList({ sessions, prompts, selectedId, onSelect }: Props) {
  if (sessions === null) return <p className="muted pad">Loading sessions…</p>;
  if (sessions.length === 0) {
    return (
      <div className="empty-state" data-testid="sessions-empty">
        <p className="empty-title">No sessions yet</p>
        <p className="muted">Sessions you record on the Practice screen are kept here, with their audio, transcript and scorecard.</p>
      </div>
    );
  }
  return (
    <ul className="session-list" data-testid="sessions-list" aria-label="Recorded sessions">
      {sessions.map((s) => {
        const selected = s.session_id === selectedId;
        return (
          <li key={s.session_id}>
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
                <span className="session-title">{promptTitle(prompts, s.prompt_id)}</span>
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
                </span>
                <span className={`status-chip status-${s.status}`}>{statusLabel(s.status)}</span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
