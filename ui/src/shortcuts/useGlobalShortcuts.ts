import { useEffect, useRef } from 'react';
import { globalAction } from './shortcuts';

/** The app-wide keys: `?` toggles the shortcuts sheet, Ctrl+Enter starts or stops practice. */
export function useGlobalShortcuts(handlers: {
  toggleSheet: () => void;
  startStop: () => void;
  mark: () => boolean;
  /** Moves the interview on; false when not recording (the key is left to the page). */
  nextPhase?: () => boolean;
}) {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat) return;
      const action = globalAction({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        target: e.target instanceof HTMLElement ? e.target : null,
      });
      if (!action) return;
      if (action === 'mark') {
        // Only while recording; otherwise the key is left to the page.
        if (ref.current.mark()) e.preventDefault();
        return;
      }
      if (action === 'next-phase') {
        if (ref.current.nextPhase?.()) e.preventDefault();
        return;
      }
      e.preventDefault();
      if (action === 'toggle-sheet') ref.current.toggleSheet();
      else ref.current.startStop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
