import type { CheckResult } from '../bindings/CheckResult';
import { formatClock } from '../format';

interface Props {
  checks: CheckResult[];
  label: string;
  onSeek?: (seconds: number) => void;
}

/** A check's name as shown: "latency target" -> "Latency target". */
function checkLabel(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * The dimension's checklist as graded: each check ticked with the words that met it (a click
 * plays them), or open. The level follows from the checks met.
 */
export function CheckList({ checks, label, onSeek }: Props) {
  if (checks.length === 0) return null;
  const met = checks.filter((c) => c.met).length;
  return (
    <div className="checklist" data-testid="checklist">
      <p className="checklist-summary">
        {met} of {checks.length} checks met
      </p>
      <ul className="check-chips" aria-label={`Checks for ${label}`}>
        {checks.map((c) => {
          const ev = c.evidence;
          const title = ev ? `“${ev.quote}” at ${formatClock(ev.t0)}` : 'Not heard yet';
          const text = (
            <>
              <span className="check-mark" aria-hidden="true">
                {c.met ? '✓' : '○'}
              </span>
              {checkLabel(c.name)}
            </>
          );
          return (
            <li key={c.name} className={c.met ? 'check met' : 'check'} data-testid="check" data-met={c.met}>
              {c.met && ev && onSeek ? (
                <button
                  type="button"
                  className="check-chip as-link"
                  title={title}
                  aria-label={`${checkLabel(c.name)}: met. Play from ${formatClock(ev.t0)}`}
                  onClick={() => onSeek(ev.t0)}
                >
                  {text}
                </button>
              ) : (
                <span className="check-chip" title={title} aria-label={`${checkLabel(c.name)}: ${c.met ? 'met' : 'not met'}`}>
                  {text}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
