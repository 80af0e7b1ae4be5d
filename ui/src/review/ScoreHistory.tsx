import type { ScoreVersion } from '../bindings/ScoreVersion';
import { clampLevel, dimensionLabel, formatLocalDateTime, formatOverall } from '../format';
import { DIMENSION_ORDER } from './sessionQuery';

interface Props {
  versions: ScoreVersion[] | null;
}

/** Every version of the session's scores, newest first: when, by whom, why, and the levels. */
export function ScoreHistory({ versions }: Props) {
  if (versions === null) return null;
  const newestFirst = versions.slice().sort((a, b) => b.version - a.version);
  return (
    <section className="card score-history" data-testid="score-history" data-versions={versions.length} aria-labelledby="score-history-title">
      <h3 id="score-history-title">Score history</h3>
      {versions.length === 0 ? (
        <p className="muted">Not scored yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="history-table">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">When</th>
                <th scope="col">Why</th>
                <th scope="col">Grader</th>
                <th scope="col" title={DIMENSION_ORDER.map((d) => dimensionLabel(d)).join(' · ')}>
                  Levels
                </th>
                <th scope="col">Overall</th>
              </tr>
            </thead>
            <tbody>
              {newestFirst.map((v, i) => {
                const levels = new Map(v.levels.map((l) => [l.id, l.level]));
                return (
                  <tr key={v.version} data-testid="score-version" className={i === 0 ? 'latest' : undefined}>
                    <td>
                      v{v.version}
                      {i === 0 && <span className="latest-tag">shown</span>}
                    </td>
                    <td>{formatLocalDateTime(v.created_at)}</td>
                    <td>{v.reason}</td>
                    <td>{v.grader}</td>
                    <td className="history-levels">
                      <span className="level-strip" aria-label="Levels per dimension">
                        {DIMENSION_ORDER.map((d) => {
                          const level = levels.get(d);
                          return (
                            <span
                              key={d}
                              className={level === undefined ? 'cell' : `cell level-${clampLevel(level)}`}
                              title={`${dimensionLabel(d)}: ${level ?? '—'}`}
                              data-dimension={d}
                              data-level={level}
                            />
                          );
                        })}
                      </span>
                    </td>
                    <td className="num">{formatOverall(v.overall)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
