import { useEffect, useMemo, useRef } from 'react';
import type { Segment } from '../bindings/Segment';
import type { Turn } from '../bindings/Turn';
import { dimensionTag, formatClock } from '../format';
import { SegmentText } from './SegmentText';
import { activeSegmentIndex, buildTimeline, type Notice } from './timeline';
import './timeline.css';

interface Props {
  segments: Segment[];
  turns: Turn[];
  notices?: Notice[];
  /** Keep the newest line in view as items arrive (live practice). */
  follow?: boolean;
  /** Playback position in seconds: the segment being spoken is highlighted (review). */
  currentTime?: number;
  onSeek?: (seconds: number) => void;
  emptyText: string;
}

/** The transcript with the interviewer's follow-ups interleaved, in time order. */
export function Timeline({ segments, turns, notices, follow, currentTime, onSeek, emptyText }: Props) {
  const items = useMemo(() => buildTimeline(segments, turns, notices), [segments, turns, notices]);
  const active = currentTime === undefined ? -1 : activeSegmentIndex(segments, currentTime);
  const scroller = useRef<HTMLOListElement>(null);
  const pinned = useRef(true);

  useEffect(() => {
    const el = scroller.current;
    if (follow && el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [follow, items.length]);

  if (items.length === 0) {
    return (
      <div className="timeline timeline-empty" data-testid="transcript">
        <p className="empty">{emptyText}</p>
      </div>
    );
  }

  return (
    <ol
      ref={scroller}
      className="timeline"
      data-testid="transcript"
      aria-label="Transcript and follow-ups"
      aria-live={follow ? 'polite' : undefined}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      }}
    >
      {items.map((item) => {
        const stamp = <Stamp t={item.t} onSeek={onSeek} />;
        if (item.kind === 'segment') {
          const isActive = segments.indexOf(item.segment) === active && active >= 0;
          return (
            <li
              key={item.key}
              className={isActive ? 'segment active' : 'segment'}
              data-testid="transcript-segment"
            >
              {stamp}
              <p className="segment-text">
                <SegmentText segment={item.segment} />
              </p>
            </li>
          );
        }
        if (item.kind === 'turn') {
          return (
            <li key={item.key} className="turn" data-testid="turn-item">
              <div className="turn-bubble">
                <div className="turn-meta">
                  <span className="turn-who">Interviewer</span>
                  {stamp}
                </div>
                <p className="turn-text">{item.turn.text}</p>
                {item.turn.targets.length > 0 && (
                  <ul className="tags" aria-label="Probing">
                    {item.turn.targets.map((d) => (
                      <li key={d} className="tag" data-dimension={d}>
                        {dimensionTag(d)}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </li>
          );
        }
        return (
          <li key={item.key} className="notice" data-testid="notice" role="status">
            <span className="notice-icon" aria-hidden="true">
              i
            </span>
            <span>{item.notice.message}</span>
          </li>
        );
      })}
    </ol>
  );
}

function Stamp({ t, onSeek }: { t: number; onSeek?: (s: number) => void }) {
  if (onSeek) {
    return (
      <button type="button" className="timestamp as-link" onClick={() => onSeek(t)} aria-label={`Play from ${formatClock(t)}`}>
        {formatClock(t)}
      </button>
    );
  }
  return <span className="timestamp">{formatClock(t)}</span>;
}
