import { useEffect, useState } from 'react';
import { formatClock } from '../format';
import { elapsedSeconds, type PracticeState } from './session';

export function ElapsedTimer({ state }: { state: PracticeState }) {
  const [now, setNow] = useState(() => Date.now());
  const running = state.phase === 'recording';
  useEffect(() => {
    if (!running) return;
    const id = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(id);
  }, [running]);
  return (
    <span className="elapsed" data-testid="elapsed" aria-label="Elapsed time" role="timer">
      {formatClock(elapsedSeconds(state, now))}
    </span>
  );
}
