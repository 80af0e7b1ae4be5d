// What the candidate is saying right now, before the pause that makes it final: the engine
// sends provisional text for the utterance in progress about once a second (EngineEvent
// `partial`), and the final segment replaces it in the transcript. It sits outside the
// transcript's live region on purpose: screen readers hear each final segment once, not every
// provisional revision of it.
import type { LivePartial } from './session';
import { formatClock } from '../format';
import './partialLine.css';

export function PartialLine({ partial }: { partial: LivePartial | null }) {
  if (partial === null) return null;
  return (
    <div className="segment partial-line" data-testid="transcript-partial" aria-live="off">
      <span className="timestamp">{formatClock(partial.t0)}</span>
      <p className="segment-text partial-text">
        <span className="partial-state">
          <span className="partial-dot" aria-hidden="true" />
          hearing…
        </span>
        {partial.text}
      </p>
    </div>
  );
}
