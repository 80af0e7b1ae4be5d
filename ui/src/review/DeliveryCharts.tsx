// Delivery analytics drawn as plain SVG, not with a chart library: the charts are a bar per
// minute, tick marks and shaded spans on the session's own time axis, which must line up
// pixel for pixel with the waveform above. A library (recharts ~100 kB gzipped, uPlot ~20 kB)
// would bring axes, legends and tooltips we would have to switch off, and its own layout
// that we would have to force back onto the waveform's width.
import { useMemo, type MouseEvent } from 'react';
import type { DeliveryAnalytics } from '../bindings/DeliveryAnalytics';
import { formatClock } from '../format';
import { paceBars, timeMarks, timeSpans } from './charts';
import './player.css';

interface Props {
  analytics: DeliveryAnalytics;
  /** The recording's length: the x axis, shared with the waveform. */
  durationS: number;
  /** The playhead, drawn as a line across the charts. */
  time: number;
  onSeek: (seconds: number) => void;
}

export function DeliveryCharts({ analytics, durationS, time, onSeek }: Props) {
  const duration = durationS > 0 ? durationS : analytics.duration_s;
  const pace = useMemo(() => paceBars(analytics.pace, duration), [analytics.pace, duration]);
  const fillers = useMemo(() => timeMarks(analytics.fillers, duration), [analytics.fillers, duration]);
  const pauses = useMemo(() => timeSpans(analytics.pauses, duration), [analytics.pauses, duration]);
  const playhead = duration > 0 ? Math.min(1, Math.max(0, time / duration)) : 0;

  const seekAt = (e: MouseEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    if (box.width <= 0 || duration <= 0) return;
    onSeek(((e.clientX - box.left) / box.width) * duration);
  };

  const topFillers = analytics.filler_counts
    .slice()
    .sort((a, b) => b.count - a.count)
    .slice(0, 3)
    .map((f) => `“${f.phrase}” ×${f.count}`)
    .join(', ');

  return (
    <section className="delivery" data-testid="delivery-charts" aria-label="Delivery analytics">
      <dl className="delivery-stats">
        <div>
          <dt>Pace</dt>
          <dd data-testid="stat-wpm">{Math.round(analytics.wpm)} wpm</dd>
        </div>
        <div>
          <dt>Fillers</dt>
          <dd data-testid="stat-fillers" title={topFillers || undefined}>
            {analytics.filler_total} · {analytics.fillers_per_100_words.toFixed(1)} per 100 words
          </dd>
        </div>
        <div>
          <dt>Pauses ≥ 2 s</dt>
          <dd>
            {analytics.pauses.length} · longest {analytics.longest_pause_s.toFixed(1)} s
          </dd>
        </div>
        <div>
          <dt>Talk time</dt>
          <dd>
            {formatClock(analytics.talk_time_s)} of {formatClock(analytics.duration_s)}
          </dd>
        </div>
      </dl>

      <div className="delivery-strip">
        <span className="delivery-label" aria-hidden="true">
          wpm
          <br />
          {pace.scale}
        </span>
        <svg
          className="delivery-svg pace-chart"
          viewBox="0 0 1000 48"
          preserveAspectRatio="none"
          role="img"
          aria-label={`Pace per minute, up to ${pace.scale} words per minute; click to seek`}
          onClick={seekAt}
          data-testid="pace-chart"
        >
          <line x1="0" x2="1000" y1="47.5" y2="47.5" className="axis" />
          {pace.bars.map((b) => (
            <rect
              key={b.t0}
              className="pace-bar"
              x={b.x * 1000 + 1}
              width={Math.max(0, b.width * 1000 - 2)}
              y={48 - b.height * 46}
              height={b.height * 46}
            >
              <title>{`${formatClock(b.t0)}: ${Math.round(b.value)} wpm`}</title>
            </rect>
          ))}
          <line className="playhead" x1={playhead * 1000} x2={playhead * 1000} y1="0" y2="48" />
        </svg>
      </div>

      <div className="delivery-strip">
        <span className="delivery-label" aria-hidden="true">
          pauses
          <br />
          fillers
        </span>
        <svg
          className="delivery-svg marks-chart"
          viewBox="0 0 1000 20"
          preserveAspectRatio="none"
          role="img"
          aria-label={`${pauses.length} pauses and ${fillers.length} filler words along the session; click to seek`}
          onClick={seekAt}
          data-testid="marks-chart"
        >
          {pauses.map((p) => (
            <rect key={`p${p.t0}`} className="pause-span" x={p.x * 1000} width={Math.max(1.5, p.width * 1000)} y="0" height="20">
              <title>{`Pause at ${formatClock(p.t0)}: ${(p.t1 - p.t0).toFixed(1)} s`}</title>
            </rect>
          ))}
          {fillers.map((f, i) => (
            <rect key={`f${i}`} className="filler-mark" x={f.x * 1000 - 1} width="2" y="4" height="12">
              <title>{`“${f.phrase}” at ${formatClock(f.t0)}`}</title>
            </rect>
          ))}
          <line className="playhead" x1={playhead * 1000} x2={playhead * 1000} y1="0" y2="20" />
        </svg>
      </div>
    </section>
  );
}
