import type { CheckResult } from '../bindings/CheckResult';
import { formatClock } from '../format';
import { checkLabel, summariseChecks } from './checklistSummary';

interface Props {
  checks: CheckResult[];
  label: string;
  onSeek?: (seconds: number) => void;
}

/**
 * The dimension's checklist as graded: each check ticked with the words that met it (a click
 * plays them), or open. The level follows from the checks met; a check the next level cannot
 * do without is marked, so the candidate sees why more checks did not raise it.
 */
export function CheckList({ checks, label, onSeek }: Props) {
  if (checks.length === 0) return null;
  const { met, counted, needs } = summariseChecks(checks);
  return (
    <div className="checklist" data-testid="checklist">
      <p className="checklist-summary">
        {met} of {counted} checks met
        {needs.length > 0 && (
          <span className="checklist-needs" data-testid="checklist-needs">
            {' '}
            · {needs.join(' · ')}
          </span>
        )}
      </p>
      <ul className="check-chips" aria-label={`Checks for ${label}`}>
        {checks.map((c) => {
          const ev = c.evidence;
          const holds = c.holds_level;
          const noLevel = c.uncounted ? ' (shown for reference: it earns no level)' : '';
          const heard = ev ? `“${ev.quote}” at ${formatClock(ev.t0)}` : 'Not heard yet';
          const title = holds ? `${heard}: level ${c.needed_for} needs it` : `${heard}${noLevel}`;
          const text = (
            <>
              <span className="check-mark" aria-hidden="true">
                {c.met ? '✓' : '○'}
              </span>
              {checkLabel(c.name)}
              {holds && <span className="check-needs">for {c.needed_for}</span>}
              {c.uncounted && <span className="check-uncounted">no level</span>}
            </>
          );
          const className = `${c.met ? 'check met' : holds ? 'check needed' : 'check'}${c.uncounted ? ' uncounted' : ''}`;
          return (
            <li key={c.name} className={className} data-testid="check" data-met={c.met}>
              {c.met && ev && onSeek ? (
                <button
                  type="button"
                  className="check-chip as-link"
                  title={title}
                  aria-label={`${checkLabel(c.name)}: met${c.uncounted ? ', earns no level' : ''}. Play from ${formatClock(ev.t0)}`}
                  onClick={() => onSeek(ev.t0)}
                >
                  {text}
                </button>
              ) : (
                <span
                  className="check-chip"
                  title={title}
                  aria-label={`${checkLabel(c.name)}: ${c.met ? 'met' : holds ? `not met, level ${c.needed_for} needs it` : 'not met'}`}
                >
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
