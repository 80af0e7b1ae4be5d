import type { TradeOffDecision } from '../bindings/TradeOffDecision';
import type { TradeOffPart } from '../bindings/TradeOffPart';
import type { Evidence } from '../bindings/Evidence';
import { formatClock } from '../format';
import { LevelBar } from './LevelBar';
import './tradeoffs.css';

interface Props {
  decisions: TradeOffDecision[];
  /** When given, quotes become buttons that jump the audio to where they were said. */
  onSeek?: (seconds: number) => void;
}

const PART_LABEL: Record<TradeOffPart, string> = {
  alternative: 'Alternative',
  reason: 'Reason',
  number: 'Number',
  otherwise: 'Would switch if',
};

/** A quote of the candidate's words, as a seek button when playback is available. */
function Quote({ ev, onSeek }: { ev: Evidence; onSeek?: (s: number) => void }) {
  if (!onSeek) return <q>{ev.quote}</q>;
  return (
    <button
      type="button"
      className="as-link evidence-quote"
      onClick={() => onSeek(ev.t0)}
      data-testid="tradeoff-seek"
      data-t0={ev.t0}
      title={`Play from ${formatClock(ev.t0)}`}
    >
      <q>{ev.quote}</q>
    </button>
  );
}

function Part({ part, value, onSeek }: { part: TradeOffPart; value: string | Evidence | null; onSeek?: (s: number) => void }) {
  return (
    <div className={value ? 'tradeoff-part' : 'tradeoff-part missing'} data-part={part}>
      <dt>{PART_LABEL[part]}</dt>
      <dd>{value === null ? 'not said' : typeof value === 'string' ? value : <Quote ev={value} onSeek={onSeek} />}</dd>
    </div>
  );
}

/**
 * Each trade-off decision the candidate made, graded on its own (the engine grades them; this
 * only shows them): the choice, what it was weighed against, why, a number, and when they
 * would choose otherwise, with the sentence that made it.
 */
export function TradeOffList({ decisions, onSeek }: Props) {
  return (
    <section className="scorecard tradeoff-list" data-testid="tradeoff-list" aria-labelledby="tradeoff-list-title">
      <h3 id="tradeoff-list-title">Trade-off decisions</h3>
      {decisions.length === 0 ? (
        <p className="empty">
          No single decision could be taken apart here (a choice, what it was weighed against, and why); the level above is the
          grader&apos;s reading of the whole answer. Say it in one sentence: &ldquo;I chose X over Y because &hellip;&rdquo;.
        </p>
      ) : (
        <ol className="tradeoff-decisions">
          {decisions.map((d, i) => (
            <li key={i} className="tradeoff-decision" data-testid="tradeoff-decision" data-level={d.level}>
              <div className="dimension-head">
                <h4 data-testid="tradeoff-choice">{d.choice}</h4>
                <LevelBar level={d.level} label={`Decision: ${d.choice}`} />
              </div>
              <p className="tradeoff-said">
                {onSeek ? (
                  <button
                    type="button"
                    className="timestamp as-link"
                    onClick={() => onSeek(d.evidence.t0)}
                    data-testid="tradeoff-evidence-link"
                    data-t0={d.evidence.t0}
                    aria-label={`Play from ${formatClock(d.evidence.t0)}`}
                  >
                    {formatClock(d.evidence.t0)}
                  </button>
                ) : (
                  <span className="timestamp">{formatClock(d.evidence.t0)}</span>
                )}
                <Quote ev={d.evidence} onSeek={onSeek} />
              </p>
              <dl className="tradeoff-parts">
                <Part part="alternative" value={d.alternative} />
                <Part part="reason" value={d.reason} onSeek={onSeek} />
                <Part part="number" value={d.number} />
                <Part part="otherwise" value={d.otherwise} onSeek={onSeek} />
              </dl>
              {d.suggestion && (
                <p className="suggestion">
                  <span className="suggestion-label">Next time</span>
                  {d.suggestion}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
