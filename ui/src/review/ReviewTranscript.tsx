import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Segment } from '../bindings/Segment';
import type { Turn } from '../bindings/Turn';
import { SegmentText } from '../components/SegmentText';
import { buildTimeline } from '../components/timeline';
import { dimensionTag, errorMessage, formatClock } from '../format';
import '../components/timeline.css';

interface Props {
  segments: Segment[];
  turns: Turn[];
  /** The segment being spoken (from segmentAt), -1 for none. */
  activeIndex: number;
  onSeek: (seconds: number) => void;
  /** Saves a corrected segment text; rejects with a message to show beside the editor. */
  onCorrect?: (index: number, text: string) => Promise<void>;
}

// After the candidate scrolls the transcript by hand, following the playhead waits this long
// so that reading ahead is not yanked back.
const HAND_SCROLL_GRACE_MS = 4000;

// A 60-minute transcript is ~1,200 lines: the first FIRST_ITEMS show at once (what is on
// screen when the session opens), the rest follow in chunks on the next tasks, so opening a
// long session does not wait for lines nobody can see yet.
const FIRST_ITEMS = 120;
const MORE_ITEMS = 400;

/**
 * The transcript for review: the interviewer's turns inline at their time, the current
 * segment highlighted and kept in view (scrolled only when it leaves the middle of the list,
 * so it does not jump on every line), a click on a line seeks there, and a line can be
 * corrected in place (Escape cancels, Ctrl+Enter saves).
 */
export const ReviewTranscript = memo(function ReviewTranscript({ segments, turns, activeIndex, onSeek, onCorrect }: Props) {
  const items = useMemo(() => buildTimeline(segments, turns), [segments, turns]);
  const indexOf = useMemo(() => new Map(segments.map((s, i) => [s, i])), [segments]);
  const listRef = useRef<HTMLOListElement>(null);
  const handScrollAt = useRef(0);
  const [editing, setEditing] = useState<number | null>(null);
  const [limit, setLimit] = useState(FIRST_ITEMS);
  useEffect(() => {
    if (limit >= items.length) return;
    const timer = window.setTimeout(() => setLimit((n) => n + MORE_ITEMS), 0);
    return () => window.clearTimeout(timer);
  }, [limit, items.length]);
  // Stable, so that a highlight change re-renders two lines, not all of them.
  const startEdit = useCallback((index: number) => setEditing(index), []);
  const stopEdit = useCallback(() => setEditing(null), []);

  useEffect(() => {
    const list = listRef.current;
    if (!list || activeIndex < 0 || editing !== null) return;
    if (Date.now() - handScrollAt.current < HAND_SCROLL_GRACE_MS) return;
    const el = list.querySelector<HTMLElement>(`[data-segment-index="${activeIndex}"]`);
    if (!el) return;
    const top = el.offsetTop - list.offsetTop;
    const view = list.clientHeight;
    // Keep the line within the middle band [20%, 70%] of the list; move it to 30% if not.
    if (top < list.scrollTop + view * 0.2 || top + el.offsetHeight > list.scrollTop + view * 0.7) {
      list.scrollTo({ top: Math.max(0, top - view * 0.3), behavior: 'smooth' });
    }
  }, [activeIndex, editing]);

  if (items.length === 0) {
    return (
      <div className="timeline timeline-empty" data-testid="transcript">
        <p className="empty">Nothing was transcribed in this session.</p>
      </div>
    );
  }

  const markHandScroll = () => {
    handScrollAt.current = Date.now();
  };

  return (
    <ol
      ref={listRef}
      className="timeline review-transcript"
      data-testid="transcript"
      aria-label="Transcript and follow-ups"
      onWheel={markHandScroll}
      onTouchMove={markHandScroll}
    >
      {items.slice(0, limit).map((item) => {
        if (item.kind === 'segment') {
          const index = indexOf.get(item.segment) ?? -1;
          return (
            <SegmentLine
              key={item.key}
              index={index}
              segment={item.segment}
              active={index === activeIndex}
              editing={editing === index}
              onSeek={onSeek}
              onEdit={onCorrect ? startEdit : undefined}
              onDone={stopEdit}
              onCorrect={onCorrect}
            />
          );
        }
        if (item.kind === 'turn') {
          return (
            <li key={item.key} className="turn" data-testid="turn-item" data-t={item.turn.at}>
              <div className="turn-bubble">
                <div className="turn-meta">
                  <span className="turn-who">Interviewer</span>
                  <button
                    type="button"
                    className="timestamp as-link"
                    onClick={() => onSeek(item.turn.at)}
                    aria-label={`Play from ${formatClock(item.turn.at)}`}
                  >
                    {formatClock(item.turn.at)}
                  </button>
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
        return null;
      })}
    </ol>
  );
});

interface LineProps {
  index: number;
  segment: Segment;
  active: boolean;
  editing: boolean;
  onSeek: (seconds: number) => void;
  onEdit?: (index: number) => void;
  onDone: () => void;
  onCorrect?: (index: number, text: string) => Promise<void>;
}

const SegmentLine = memo(function SegmentLine({ index, segment, active, editing, onSeek, onEdit, onDone, onCorrect }: LineProps) {
  const text = segment.text.trim();
  return (
    <li
      className={active ? 'segment review-segment active' : 'segment review-segment'}
      data-testid="transcript-segment"
      data-segment-index={index}
      data-t0={segment.t0}
      data-active={active ? 'true' : undefined}
    >
      <button
        type="button"
        className="timestamp as-link"
        onClick={() => onSeek(segment.t0)}
        aria-label={`Play from ${formatClock(segment.t0)}`}
      >
        {formatClock(segment.t0)}
      </button>
      {editing && onCorrect ? (
        <SegmentEditor initial={text} onSave={(next) => onCorrect(index, next)} onDone={onDone} />
      ) : (
        <div className="segment-body">
          <p
            className="segment-text seekable"
            data-testid="segment-text"
            onClick={() => onSeek(segment.t0)}
            title="Play from here"
          >
            <SegmentText segment={segment} />
          </p>
          {onEdit && (
            <button type="button" className="icon-button segment-edit" onClick={() => onEdit(index)} aria-label="Correct this line" data-testid="edit-segment">
              Edit
            </button>
          )}
        </div>
      )}
    </li>
  );
});

function SegmentEditor({ initial, onSave, onDone }: { initial: string; onSave: (text: string) => Promise<void>; onDone: () => void }) {
  const [draft, setDraft] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const areaRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const area = areaRef.current;
    if (!area) return;
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }, []);

  const unchanged = draft.trim() === initial || draft.trim() === '';
  const save = async () => {
    if (unchanged || saving) return;
    setSaving(true);
    setError(null);
    try {
      await onSave(draft.trim());
      onDone();
    } catch (err) {
      setError(errorMessage(err));
      setSaving(false);
    }
  };

  return (
    <form
      className="segment-editor"
      data-testid="segment-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <textarea
        ref={areaRef}
        className="segment-input"
        value={draft}
        rows={Math.min(6, Math.max(2, Math.ceil(draft.length / 70)))}
        aria-label="Corrected text"
        data-testid="segment-input"
        disabled={saving}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onDone();
          } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void save();
          }
        }}
      />
      <div className="segment-editor-actions">
        <span className="muted">Scores are recomputed from the corrected text; the old ones stay in the history.</span>
        <button type="button" className="button secondary" onClick={onDone} disabled={saving} data-testid="cancel-correction">
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={unchanged || saving} data-testid="save-correction">
          {saving ? 'Re-scoring…' : 'Save and re-score'}
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
