import type { Scorecard as ScorecardData } from '../bindings/Scorecard';
import type { DimensionScore } from '../bindings/DimensionScore';
import { dimensionLabel, formatClock, formatOverall, MAX_LEVEL } from '../format';
import { CheckList } from './CheckList';
import { LevelBar } from './LevelBar';
import './scorecard.css';

interface Props {
  scorecard: ScorecardData;
  /** When given, evidence timestamps become buttons that jump the audio there. */
  onSeek?: (seconds: number) => void;
}

function graderName(grader: string): string {
  return grader === 'offline' ? 'offline rubric grader' : grader;
}

export function Scorecard({ scorecard, onSeek }: Props) {
  const dims = scorecard.dimensions;
  const overall = dims.length ? dims.reduce((sum, d) => sum + d.level, 0) / dims.length : null;
  return (
    <section className="scorecard" data-testid="scorecard" aria-label="Scorecard">
      <header className="scorecard-header">
        <div>
          <h3>Scorecard</h3>
          <p className="muted" data-testid="grader">
            Graded by {graderName(scorecard.grader)}
          </p>
          {scorecard.grader === 'offline' && (
            <p className="muted grader-caveat" data-testid="grader-caveat">
              A coverage check: it hears which parts of a good answer you put into words, not whether what you
              said is right. A capable LLM (Settings) can judge correctness; a small local model scores less reliably than this check.
            </p>
          )}
        </div>
        <div className="overall" aria-label="Overall level">
          <span className="overall-number">{formatOverall(overall)}</span>
          <span className="overall-scale">/ {MAX_LEVEL}</span>
        </div>
      </header>
      {dims.length === 0 ? (
        <p className="empty">This session was not scored.</p>
      ) : (
        <ol className="dimension-list">
          {dims.map((d) => (
            <DimensionRow key={d.id} score={d} onSeek={onSeek} />
          ))}
        </ol>
      )}
    </section>
  );
}

function DimensionRow({ score, onSeek }: { score: DimensionScore; onSeek?: (s: number) => void }) {
  const label = dimensionLabel(score.id);
  return (
    <li className="dimension-row" data-testid="dimension-row" data-dimension={score.id}>
      <div className="dimension-head">
        <h4>{label}</h4>
        <LevelBar level={score.level} label={label} />
      </div>
      {score.evidence.length > 0 ? (
        <ul className="evidence-list" aria-label={`Evidence for ${label}`}>
          {score.evidence.map((ev, i) => (
            <li key={i} className="evidence">
              {onSeek ? (
                <button
                  type="button"
                  className="timestamp as-link"
                  onClick={() => onSeek(ev.t0)}
                  data-testid="evidence-link"
                  data-t0={ev.t0}
                  aria-label={`Play from ${formatClock(ev.t0)}`}
                >
                  {formatClock(ev.t0)}
                </button>
              ) : (
                <span className="timestamp">{formatClock(ev.t0)}</span>
              )}
              {onSeek ? (
                <button type="button" className="as-link evidence-quote" onClick={() => onSeek(ev.t0)} title={`Play from ${formatClock(ev.t0)}`}>
                  <q>{ev.quote}</q>
                </button>
              ) : (
                <q>{ev.quote}</q>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="no-evidence">Nothing said yet earns credit here.</p>
      )}
      <CheckList checks={score.checks ?? []} label={label} onSeek={onSeek} />
      {score.suggestion && (
        <p className="suggestion">
          <span className="suggestion-label">Next time</span>
          {score.suggestion}
        </p>
      )}
    </li>
  );
}
