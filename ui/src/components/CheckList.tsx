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

/** The checks the engine marked as holding the level back, by the level each would open. */
function holdingChecks(checks: CheckResult[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const c of checks) {
    if (!c.holds_level || c.needed_for === null) continue;
    out.set(c.needed_for, [...(out.get(c.needed_for) ?? []), checkLabel(c.name)]);
  }
  return out;
}

/**
 * The dimension's checklist as graded: each check ticked with the words that met it (a click
 * plays them), or open. The level follows from the checks met; a check the next level cannot
 * do without is marked, so the candidate sees why more checks did not raise it.
 */
export function CheckList({ checks, label, onSeek }: Props) {
  if (checks.length === 0) return null;
  const met = checks.filter((c) => c.met).length;
  const held = holdingChecks(checks);
  const needs = [...held.entries()]
    .sort(([a], [b]) => a - b)
    .map(([level, names]) =>
      names.length === 1 ? `level ${level} needs ${names[0]}` : `level ${level} needs one of ${names.join(', ')}`,
    );
  return (
    <div className="checklist" data-testid="checklist">
      <p className="checklist-summary">
        {met} of {checks.length} checks met
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
          const title = ev
            ? `“${ev.quote}” at ${formatClock(ev.t0)}`
            : holds
              ? `Not heard yet: level ${c.needed_for} needs it`
              : 'Not heard yet';
          const text = (
            <>
              <span className="check-mark" aria-hidden="true">
                {c.met ? '✓' : '○'}
              </span>
              {checkLabel(c.name)}
              {holds && <span className="check-needs">for {c.needed_for}</span>}
            </>
          );
          const className = c.met ? 'check met' : holds ? 'check needed' : 'check';
          return (
            <li key={c.name} className={className} data-testid="check" data-met={c.met}>
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
