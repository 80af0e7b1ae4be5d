import { useEffect, useState } from 'react';
import type { SessionSummary } from '../bindings/SessionSummary';
import { interruptedSessions } from '../ipc';

interface Props {
  /** Opens the session in Review, where it can be finished (scored) or deleted. */
  onOpen: (sessionId: string) => void;
}

/**
 * At start: sessions a crash or a kill interrupted (the engine marks them when it opens the
 * store) are announced once, with a way to them. Review lists them with Finish and Delete.
 */
export function InterruptedNotice({ onOpen }: Props) {
  const [found, setFound] = useState<SessionSummary[]>([]);
  const [dismissed, setDismissed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    // Failures are Review's to report when it is opened; this is only a hint.
    interruptedSessions().then(
      (list) => !cancelled && setFound(list),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, []);

  if (dismissed || found.length === 0) return null;
  const first = found[0]!;
  return (
    <div className="callout callout-warn interrupted-notice" role="status" data-testid="interrupted-notice">
      <span>
        {found.length === 1 ? 'A session was interrupted' : `${found.length} sessions were interrupted`} before it could be scored; what was
        recorded is kept.
      </span>
      <button
        type="button"
        className="button secondary"
        onClick={() => {
          setDismissed(true);
          onOpen(first.session_id);
        }}
        data-testid="open-interrupted"
      >
        Open in Review
      </button>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setDismissed(true)}>
        ×
      </button>
    </div>
  );
}
