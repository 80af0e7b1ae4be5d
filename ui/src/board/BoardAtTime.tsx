import { useEffect, useRef, useState } from 'react';
import { errorMessage, formatDuration } from '../format';
import { sessionBoardAt, sessionBoardTimes } from '../ipc';
import { saveBoardImage } from './saveBoard';
import { changeIndexAt } from './scene';
import './board.css';

interface Props {
  sessionId: string;
  /** Seconds into the session (the audio's playhead); null shows the final board. */
  timeS: number | null;
  /** Names exported files. */
  exportBase?: string;
}

type Shown =
  | { state: 'loading' }
  | { state: 'none' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; times: number[] };

/**
 * The whiteboard of a stored session as it was at `timeS`, read-only. Cheap to follow a
 * playhead: the change times are read once, and a scene is fetched (and rendered) only when
 * the time crosses into another change; rendered boards are kept per change.
 */
export function BoardAtTime({ sessionId, timeS, exportBase }: Props) {
  const [shown, setShown] = useState<{ id: string; value: Shown }>({ id: sessionId, value: { state: 'loading' } });
  const [rendered, setRendered] = useState<{ id: string; index: number; svg: SVGSVGElement | null; scene: string | null } | null>(null);
  const [saved, setSaved] = useState<{ text: string; error: boolean } | null>(null);
  const cache = useRef(new Map<string, { svg: SVGSVGElement | null; scene: string | null }>());
  const host = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    let cancelled = false;
    cache.current.clear();
    sessionBoardTimes(sessionId).then(
      (times) => {
        if (cancelled) return;
        setShown({ id: sessionId, value: times.length ? { state: 'ready', times } : { state: 'none' } });
      },
      (err: unknown) => !cancelled && setShown({ id: sessionId, value: { state: 'failed', message: errorMessage(err) } }),
    );
    return () => {
      cancelled = true;
    };
  }, [sessionId]);

  const current = shown.id === sessionId ? shown.value : ({ state: 'loading' } as Shown);
  const times = current.state === 'ready' ? current.times : null;
  const index = times ? (timeS === null ? times.length - 1 : changeIndexAt(times, timeS)) : -1;

  useEffect(() => {
    if (!times || index < 0) return;
    const at = times[index] ?? 0;
    const key = `${sessionId}#${index}`;
    const hit = cache.current.get(key);
    if (hit) {
      setRendered({ id: sessionId, index, ...hit });
      return;
    }
    let cancelled = false;
    (async () => {
      const scene = await sessionBoardAt(sessionId, at);
      const svg = scene ? await (await import('./renderStored')).storedBoardSvg(scene) : null;
      cache.current.set(key, { svg, scene });
      if (!cancelled) setRendered({ id: sessionId, index, svg, scene });
    })().catch((err: unknown) => {
      if (!cancelled) setShown({ id: sessionId, value: { state: 'failed', message: errorMessage(err) } });
    });
    return () => {
      cancelled = true;
    };
  }, [sessionId, times, index]);

  const visible = rendered && rendered.id === sessionId && rendered.index === index ? rendered : null;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    if (visible?.svg) {
      // The same element may be shown again later: show a copy, keep the cached one intact.
      const copy = visible.svg.cloneNode(true) as SVGSVGElement;
      copy.removeAttribute('width');
      copy.removeAttribute('height');
      el.replaceChildren(copy);
    } else {
      el.replaceChildren();
    }
  }, [visible]);

  const finalScene = visible?.scene ?? null;
  const save = async (ext: 'svg' | 'png') => {
    if (!finalScene) return;
    try {
      const { storedBoardImages } = await import('./renderStored');
      const path = await saveBoardImage(storedBoardImages(finalScene), exportBase ?? sessionId, ext);
      setSaved({ text: `Saved ${path}`, error: false });
    } catch (err) {
      setSaved({ text: `Could not export the board: ${errorMessage(err)}`, error: true });
    }
  };

  let note: string | null = null;
  if (current.state === 'loading') note = 'Loading the whiteboard…';
  else if (current.state === 'none') note = 'Nothing was drawn on the whiteboard in this session.';
  else if (current.state === 'failed') note = `The whiteboard could not be shown: ${current.message}`;
  else if (index < 0) note = `The board is still empty here; drawing starts at ${formatDuration(current.times[0] ?? 0)}.`;
  else if (visible && !visible.svg) note = 'The board is empty at this point.';

  const isFinal = times !== null && index === times.length - 1;

  return (
    <section className="card board-at-time" aria-labelledby="board-at-time-title" data-testid="board-at-time" data-board-index={index}>
      <div className="board-toolbar">
        <h3 id="board-at-time-title" className="board-title">
          Whiteboard{' '}
          <span className="muted">
            {times && index >= 0 ? (timeS === null ? '(final)' : `at ${formatDuration(times[index] ?? 0)}`) : ''}
          </span>
        </h3>
        <span className="board-toolbar-spacer" />
        {saved && (
          <span className={saved.error ? 'board-saved error-text' : 'board-saved'} title={saved.text} data-testid="board-at-time-export-result">
            {saved.text}
          </span>
        )}
        {isFinal && finalScene && (
          <>
            <button type="button" className="button secondary small" onClick={() => void save('svg')} data-testid="review-board-export-svg">
              Export SVG
            </button>
            <button type="button" className="button secondary small" onClick={() => void save('png')} data-testid="review-board-export-png">
              Export PNG
            </button>
          </>
        )}
      </div>
      {note && <p className="muted">{note}</p>}
      <div className="board-at-time-image" ref={host} data-testid="board-at-time-image" hidden={!visible?.svg} />
    </section>
  );
}
