import { useEffect, useState } from 'react';
import type { AttemptSide } from '../bindings/AttemptSide';
import type { SessionComparison } from '../bindings/SessionComparison';
import { clampLevel, dimensionLabel, formatClock, formatDuration, formatLocalDateTime, formatOverall } from '../format';
import { compareSessions } from '../ipc';
import { DIMENSION_ORDER } from './sessionQuery';
import './review.css';
import { useReportError } from '../components/errors';

interface Props {
  /** The earlier attempt (left) and the later one (right). */
  a: string;
  b: string;
  title: string;
  onClose: () => void;
  onOpen: (sessionId: string) => void;
}

/** Two attempts at one prompt side by side: levels per dimension with the change, trade-offs named, duration. */
export function ComparePanel({ a, b, title, onClose, onOpen }: Props) {
  const reportError = useReportError();
  const [data, setData] = useState<SessionComparison | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    compareSessions(a, b).then(
      (c) => !cancelled && setData(c),
      (err: unknown) => {
        if (cancelled) return;
        reportError(err);
        setFailed(true);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [a, b, reportError]);

  return (
    <article className="compare" data-testid="compare-panel">
      <header className="compare-head">
        <div>
          <p className="eyebrow">Compare attempts</p>
          <h2>{title}</h2>
        </div>
        <button type="button" className="button secondary" onClick={onClose} data-testid="close-compare">
          Back to the session
        </button>
      </header>
      {!data ? (
        <p className="muted">{failed ? 'The attempts could not be compared.' : 'Comparing…'}</p>
      ) : (
        <>
          <section className="card">
            <table className="compare-table">
              <thead>
                <tr>
                  <th scope="col">Dimension</th>
                  <SideHead side={data.a} label="Earlier" onOpen={onOpen} />
                  <SideHead side={data.b} label="Later" onOpen={onOpen} />
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {DIMENSION_ORDER.map((d) => {
                  const la = data.a.levels.find((l) => l.id === d)?.level;
                  const lb = data.b.levels.find((l) => l.id === d)?.level;
                  const delta = data.level_deltas.find((x) => x.id === d)?.delta;
                  return (
                    <tr key={d} data-testid="compare-row" data-dimension={d}>
                      <th scope="row">{dimensionLabel(d)}</th>
                      <td>{la === undefined ? '—' : <span className={`level-pip level-${clampLevel(la)}`}>{la}</span>}</td>
                      <td>{lb === undefined ? '—' : <span className={`level-pip level-${clampLevel(lb)}`}>{lb}</span>}</td>
                      <td className={delta ? (delta > 0 ? 'delta-up' : 'delta-down') : undefined}>
                        {delta === undefined ? '—' : delta > 0 ? `+${delta}` : delta === 0 ? '=' : String(delta)}
                      </td>
                    </tr>
                  );
                })}
                <tr>
                  <th scope="row">Overall</th>
                  <td>{formatOverall(data.a.overall)}</td>
                  <td>{formatOverall(data.b.overall)}</td>
                  <td>
                    {data.a.overall !== null && data.b.overall !== null ? signed(data.b.overall - data.a.overall) : '—'}
                  </td>
                </tr>
                <tr>
                  <th scope="row">Duration</th>
                  <td>{formatDuration(data.a.duration_s)}</td>
                  <td>{formatDuration(data.b.duration_s)}</td>
                  <td />
                </tr>
              </tbody>
            </table>
          </section>
          <section className="card compare-tradeoffs" aria-label="Trade-offs named">
            <TradeOffs side={data.a} label="Trade-offs named, earlier" />
            <TradeOffs side={data.b} label="Trade-offs named, later" />
          </section>
        </>
      )}
    </article>
  );
}

function signed(x: number): string {
  const v = x.toFixed(1);
  return x > 0 ? `+${v}` : v;
}

function SideHead({ side, label, onOpen }: { side: AttemptSide; label: string; onOpen: (id: string) => void }) {
  return (
    <th scope="col">
      {label}
      <br />
      <button type="button" className="as-link evidence-link" onClick={() => onOpen(side.session_id)}>
        {formatLocalDateTime(side.started_at)}
      </button>
    </th>
  );
}

function TradeOffs({ side, label }: { side: AttemptSide; label: string }) {
  return (
    <div>
      <h3>{label}</h3>
      {side.tradeoffs.length === 0 ? (
        <p className="muted">None named.</p>
      ) : (
        <ul>
          {side.tradeoffs.map((t, i) => (
            <li key={i}>
              <span className="timestamp">{formatClock(t.t0)}</span> <q>{t.quote}</q>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
