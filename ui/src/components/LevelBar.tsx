import { clampLevel, levelLabel, MAX_LEVEL } from '../format';
import './scorecard.css';

/** A rubric level 0..4 as a five-step bar, the number and its word. */
export function LevelBar({ level, label }: { level: number; label: string }) {
  const value = clampLevel(level);
  return (
    <div
      className={`level-bar level-${value}`}
      role="meter"
      aria-valuemin={0}
      aria-valuemax={MAX_LEVEL}
      aria-valuenow={value}
      aria-valuetext={`${value} of ${MAX_LEVEL}, ${levelLabel(value)}`}
      aria-label={label}
    >
      <div className="level-steps" aria-hidden="true">
        {Array.from({ length: MAX_LEVEL + 1 }, (_, step) => (
          <span key={step} className={step <= value ? 'step filled' : 'step'} />
        ))}
      </div>
      <span className="level-number" data-testid="dimension-level">
        {value}
      </span>
      <span className="level-word">{levelLabel(value)}</span>
    </div>
  );
}
