import { useCallback, useEffect, useRef } from 'react';
import { practiceBoardUpdate } from '../ipc';
import type { BoardHandle } from './ExcalidrawBoard';
import { useReportError } from '../components/errors';

/** Quiet time after the last edit before the board is sent. */
export const SEND_DEBOUNCE_MS = 1_000;
/** A long drag still reaches the interviewer this often. */
export const SEND_MAX_WAIT_MS = 3_000;

// Module level: the Practice screen unmounts when the candidate looks at another screen while
// recording; what was last sent must survive that, or the same board is sent again.
let lastSentVersion: number | null = null;

/**
 * Sends the board to the live session: right after Start, then on change (debounced, and only
 * when an element really changed: Excalidraw's onChange also fires on pointer moves).
 * Returns the function to call from Excalidraw's onChange.
 */
export function useBoardSync(
  handle: BoardHandle | null,
  live: boolean,
): () => void {
  const reportError = useReportError();
  const timer = useRef<number | null>(null);
  const firstPending = useRef<number | null>(null);
  const reported = useRef(false);

  const send = useCallback(() => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = null;
    firstPending.current = null;
    if (!handle) return;
    const version = handle.elementsVersion();
    if (version === lastSentVersion) return;
    lastSentVersion = version;
    practiceBoardUpdate(handle.sceneJson()).catch((err: unknown) => {
      // Once per session in the banner; a board that fails to send must not flood it.
      if (!reported.current) reportError(err);
      else console.warn('board update failed', err);
      reported.current = true;
    });
  }, [handle, reportError]);

  // Start: the board drawn before pressing Start goes to the session at once.
  useEffect(() => {
    if (!live) {
      // Stop pressed: a send still pending would reach a session that is being closed.
      if (timer.current !== null) window.clearTimeout(timer.current);
      timer.current = null;
      firstPending.current = null;
      lastSentVersion = null;
      reported.current = false;
      return;
    }
    send();
  }, [live, send]);

  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  return useCallback(() => {
    if (!live || !handle) return;
    if (handle.elementsVersion() === lastSentVersion) return;
    const now = Date.now();
    firstPending.current ??= now;
    if (timer.current !== null) window.clearTimeout(timer.current);
    const wait = Math.max(0, Math.min(SEND_DEBOUNCE_MS, firstPending.current + SEND_MAX_WAIT_MS - now));
    timer.current = window.setTimeout(send, wait);
  }, [live, handle, send]);
}
