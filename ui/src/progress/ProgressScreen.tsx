// Trend charts are plain SVG, like the delivery strip in Review: one polyline over at most a
// few hundred sessions per chart does not justify a chart library in the bundle.
import { useEffect, useMemo, useState } from 'react';
import type { Progress } from '../bindings/Progress';
import type { ProgressPoint } from '../bindings/ProgressPoint';
import { dimensionLabel, formatLocalDateTime, formatOverall, levelLabel } from '../format';
import { progress as fetchProgress } from '../ipc';
import { linePath, niceCeiling, trendDelta, trendPoints } from '../review/charts';
import '../review/review.css';
import { useReportError } from '../components/errors';
import './progress.css';

interface Props {
  /** Opens a card in Study (as a search hit does). */
  onOpenCard: (cardId: string) => void;
  /** Opens a session in Review. */
  onOpenSession: (sessionId: string) => void;
}

const CHART_W = 300;
const CHART_H = 90;

/** Each dimension over time, filler-rate and pace trends, and the weakest dimensions with the cards that teach them. */
export function ProgressScreen({ onOpenCard, onOpenSession }: Props) {
  const reportError = useReportError();
  const [data, setData] = useState<Progress | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    fetchProgress().then(
      (p) => !cancelled && setData(p),
      (err: unknown) => {
        if (cancelled) return;
        reportError(err);
        setFailed(true);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [reportError]);

  return (
    <div className="screen" data-testid="progress-screen">
      <header className="screen-header">
        <h1>Progress</h1>
        <p className="subtitle">How your scores and delivery move from session to session, and what to study next.</p>
      </header>
      {!data ? (
        <p className="muted">{failed ? 'Progress could not be computed.' : 'Loading…'}</p>
      ) : data.sessions === 0 ? (
        <div className="card empty-state" data-testid="progress-empty">
          <p className="empty-title">No scored sessions yet</p>
          <p className="muted">Practise a prompt and your scores will be charted here.</p>
        </div>
      ) : (
        <>
          {data.weakest.length > 0 && (
            <section className="card section" aria-labelledby="weakest-title" data-testid="weakest">
              <h2 id="weakest-title">Weakest dimensions</h2>
              <ol className="weak-list">
                {data.weakest.map((w) => (
                  <li key={w.id} className="weak-item" data-testid="weak-dimension" data-dimension={w.id}>
                    <span>
                      <strong>{dimensionLabel(w.id)}</strong>{' '}
                      <span className="muted">
                        mean {formatOverall(w.mean_level)} ({levelLabel(w.mean_level)})
                      </span>
                    </span>
                    {w.cards.length > 0 ? (
                      <span className="card-links">
                        {w.cards.map((c) => (
                          <button key={c.card_id} type="button" className="card-link" onClick={() => onOpenCard(c.card_id)} data-testid="weak-card-link" data-card-id={c.card_id}>
                            {c.title}
                          </button>
                        ))}
                      </span>
                    ) : (
                      <span className="muted">No card teaches this yet.</span>
                    )}
                  </li>
                ))}
              </ol>
            </section>
          )}
          <h2 className="section">Delivery</h2>
          <div className="progress-grid">
            <TrendChart title="Filler words per 100 words" points={data.filler_rate} lowerIsBetter digits={1} onOpenSession={onOpenSession} />
            <TrendChart title="Pace (words per minute)" points={data.pace_wpm} neutral digits={0} onOpenSession={onOpenSession} />
          </div>
          <h2 className="section">Dimensions over {data.sessions} session{data.sessions === 1 ? '' : 's'}</h2>
          <div className="progress-grid" data-testid="dimension-trends">
            {data.dimensions.map((d) => (
              <TrendChart key={d.id} title={dimensionLabel(d.id)} points={d.points} yMax={4} digits={0} onOpenSession={onOpenSession} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}

interface TrendProps {
  title: string;
  points: ProgressPoint[];
  /** Fixed top of the scale (4 for levels); otherwise a round number above the largest value. */
  yMax?: number;
  lowerIsBetter?: boolean;
  /** Neither direction is better (pace: too fast and too slow both hurt). */
  neutral?: boolean;
  digits: number;
  onOpenSession: (sessionId: string) => void;
}

function TrendChart({ title, points, yMax, lowerIsBetter, neutral, digits, onOpenSession }: TrendProps) {
  const top = yMax ?? niceCeiling(Math.max(0, ...points.map((p) => p.value)), 1);
  const laid = useMemo(() => trendPoints(points, CHART_W, CHART_H, top), [points, top]);
  const delta = trendDelta(points);
  const better = neutral || delta === null || delta === 0 ? null : lowerIsBetter ? delta < 0 : delta > 0;
  const last = points[points.length - 1];
  return (
    <section className="card trend-card" data-testid="trend-chart" data-points={points.length}>
      <h3>
        <span>{title}</span>
        <span className={better === null ? 'muted' : better ? 'delta-up' : 'delta-down'}>
          {last ? last.value.toFixed(digits) : '—'}
          {delta !== null && delta !== 0 && ` (${delta > 0 ? '+' : ''}${delta.toFixed(digits)})`}
        </span>
      </h3>
      {points.length === 0 ? (
        <p className="muted">No data yet.</p>
      ) : (
        <svg className="trend-svg" viewBox={`0 0 ${CHART_W} ${CHART_H}`} role="img" aria-label={`${title} over ${points.length} sessions`}>
          {[0.25, 0.5, 0.75].map((f) => (
            <line key={f} className="grid" x1="0" x2={CHART_W} y1={CHART_H * f} y2={CHART_H * f} />
          ))}
          <path className="trend-line" d={linePath(laid)} vectorEffect="non-scaling-stroke" />
          {laid.map((p) => (
            <circle key={p.sessionId} className="trend-dot" cx={p.x} cy={p.y} r="3.5" onClick={() => onOpenSession(p.sessionId)} style={{ cursor: 'pointer' }}>
              <title>{`${formatLocalDateTime(p.label)}: ${p.value.toFixed(digits)}`}</title>
            </circle>
          ))}
        </svg>
      )}
    </section>
  );
}
