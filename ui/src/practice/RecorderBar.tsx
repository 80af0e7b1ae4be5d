import type { PracticeState } from './session';
import { ElapsedTimer } from './ElapsedTimer';
import { LevelMeter } from './LevelMeter';

interface Props {
  state: PracticeState;
  canStart: boolean;
  whyNot: string | null;
  onStart: () => void;
  onStop: () => void;
}

export function RecorderBar({ state, canStart, whyNot, onStart, onStop }: Props) {
  const { phase } = state;
  const recording = phase === 'recording';
  return (
    <div className={`recorder card${recording ? ' is-recording' : ''}`}>
      {phase === 'scoring' ? (
        <button type="button" className="record-button scoring" disabled data-testid="scoring-indicator" aria-live="polite">
          <span className="spinner" aria-hidden="true" />
          Scoring…
        </button>
      ) : recording ? (
        <button type="button" className="record-button stop" onClick={onStop} data-testid="stop-button">
          <span className="record-icon stop-icon" aria-hidden="true" />
          Stop
        </button>
      ) : (
        <button
          type="button"
          className="record-button start"
          onClick={onStart}
          disabled={!canStart || phase === 'starting'}
          data-testid="start-button"
          title={whyNot ?? undefined}
        >
          <span className="record-icon" aria-hidden="true" />
          {phase === 'starting' ? 'Starting…' : 'Start'}
        </button>
      )}
      <div className="recorder-readout">
        <div className="recorder-line">
          {recording && !state.micLost && <span className="rec-dot" aria-hidden="true" />}
          <ElapsedTimer state={state} />
          <span className="recorder-state">{stateText(state, whyNot)}</span>
        </div>
        <LevelMeter rms={state.level} active={recording} />
      </div>
    </div>
  );
}

function stateText(state: PracticeState, whyNot: string | null): string {
  switch (state.phase) {
    case 'starting':
      return 'Opening the microphone…';
    case 'recording':
      return state.micLost
        ? 'Paused: the microphone stopped.'
        : 'Recording: think out loud, the interviewer is listening.';
    case 'scoring':
      return 'Transcribing the last words and scoring your answer. This can take a few seconds.';
    case 'done':
      return 'Scored and saved.';
    case 'idle':
      return whyNot ?? 'Ready when you are.';
  }
}
