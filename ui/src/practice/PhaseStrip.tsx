import { useEffect, useState } from 'react';
import './phases.css';
import { formatClock } from '../format';
import { INTERVIEW_PHASES, hasNextPhase, phaseSecondsLeft } from './phases';
import { elapsedSeconds, type PracticeState } from './session';

/** The five phases with the current one highlighted, time left in its budget, and "Next phase". */
export function PhaseStrip({ state, onNextPhase }: { state: PracticeState; onNextPhase: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  const running = state.phase === 'recording';
  useEffect(() => {
    if (!running) return;
    const id = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(id);
  }, [running]);
  const current = state.interviewPhase;
  if (!current) return null;
  const currentIndex = INTERVIEW_PHASES.findIndex((p) => p.phase === current.phase);
  const left = phaseSecondsLeft(current, elapsedSeconds(state, now));
  return (
    <section className="phase-strip" data-testid="phase-strip" aria-label="Interview phases">
      <div className="phase-now">
        <div className="phase-now-text">
          <span className="eyebrow">
            Phase {currentIndex + 1} of {INTERVIEW_PHASES.length}
          </span>
          <strong data-testid="phase-name">{INTERVIEW_PHASES[currentIndex]?.label}</strong>
          <span className={`phase-left${left < 0 ? ' over' : ''}`} data-testid="phase-left">
            {left < 0 ? `${formatClock(-left)} over` : `${formatClock(left)} left`}
          </span>
        </div>
        <button
          type="button"
          className="button secondary"
          onClick={onNextPhase}
          disabled={!running || !hasNextPhase(current)}
          title="Move on to the next phase (N)"
          data-testid="next-phase"
        >
          Next phase <kbd>N</kbd>
        </button>
      </div>
      <ol className="phase-steps">
        {INTERVIEW_PHASES.map((p, i) => (
          <li
            key={p.phase}
            className={`phase-step${i === currentIndex ? ' current' : i < currentIndex ? ' past' : ''}`}
            aria-current={i === currentIndex ? 'step' : undefined}
            title={p.label}
            data-testid={`phase-${p.phase}`}
          >
            {p.short}
          </li>
        ))}
      </ol>
    </section>
  );
}
