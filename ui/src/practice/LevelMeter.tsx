import { levelToPercent } from '../format';
import './practice.css';

/** The microphone's input level, on a dBFS scale. */
export function LevelMeter({ rms, active }: { rms: number; active: boolean }) {
  const percent = active ? levelToPercent(rms) : 0;
  return (
    <div className="level-meter" data-testid="level-meter" aria-label="Microphone level" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
      <div className="level-meter-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
