import { useCallback, useEffect, useRef, useState } from 'react';
import type { BoardGraph } from '../bindings/BoardGraph';
import { errorMessage } from '../format';
import { readBoard } from '../ipc';
import type { BoardHandle } from './ExcalidrawBoard';

/** Quiet time after the last edit before the board is read again. */
export const READ_DEBOUNCE_MS = 800;

/**
 * The board as the interviewer reads it (the engine parses the scene), kept current while the
 * candidate draws, recording or not. Returns the graph, why it could not be read, and the
 * function to call on every board change.
 */
export function useBoardReading(handle: BoardHandle | null) {
  const [graph, setGraph] = useState<BoardGraph | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const timer = useRef<number | null>(null);
  const lastVersion = useRef<number | null>(null);

  const read = useCallback(() => {
    timer.current = null;
    if (!handle) return;
    const version = handle.elementsVersion();
    if (version === lastVersion.current) return;
    lastVersion.current = version;
    readBoard(handle.sceneJson()).then(
      (g) => {
        setGraph(g);
        setFailed(null);
      },
      (err: unknown) => setFailed(`The board could not be read: ${errorMessage(err)}`),
    );
  }, [handle]);

  useEffect(() => {
    read();
    return () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    };
  }, [read]);

  const onChange = useCallback(() => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(read, READ_DEBOUNCE_MS);
  }, [read]);

  return { graph, failed, onChange };
}
