import { lazy, Suspense, useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { ExcalidrawInitialDataState } from '@excalidraw/excalidraw/types';
import type { ComponentInfo } from '../bindings/ComponentInfo';
import type { ComponentKind } from '../bindings/ComponentKind';
import { errorMessage } from '../format';
import { boardComponents } from '../ipc';
import { ComponentPalette, PALETTE_MIME } from './ComponentPalette';
import type { BoardHandle } from './ExcalidrawBoard';
import { saveBoardImage } from './saveBoard';
import { BoardReading } from './BoardReading';
import { useBoardReading } from './useBoardReading';
import { useBoardSync } from './useBoardSync';
import './board.css';

const ExcalidrawBoard = lazy(() => import('./ExcalidrawBoard'));

// The board outlives the Practice screen (a candidate may glance at Study mid-session).
let keptScene: ExcalidrawInitialDataState | null = null;

interface Props {
  /** A session is recording: changes go to the interviewer. */
  live: boolean;
  /** Names exported files ("doc-qa-10k-20261125-170405.svg"). */
  exportBase: string;
}

/** The whiteboard of the Practice screen: component library, Excalidraw, full screen, export. */
export function PracticeBoard({ live, exportBase }: Props) {
  const [handle, setHandle] = useState<BoardHandle | null>(null);
  const [components, setComponents] = useState<ComponentInfo[] | null>(null);
  const [paletteError, setPaletteError] = useState<string | null>(null);
  const [full, setFull] = useState(false);
  const [saved, setSaved] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [initialData] = useState(() => keptScene);
  const sendToSession = useBoardSync(handle, live);
  const reading = useBoardReading(handle);
  const readAgain = reading.onChange;
  const onSceneChange = useCallback(() => {
    sendToSession();
    readAgain();
  }, [sendToSession, readAgain]);

  useEffect(() => {
    let cancelled = false;
    boardComponents().then(
      (list) => !cancelled && setComponents(list),
      (err: unknown) => !cancelled && setPaletteError(`The component library could not be read: ${errorMessage(err)}`),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const onReady = useCallback((h: BoardHandle | null) => {
    if (h === null) return;
    setHandle(h);
  }, []);

  // Keep the scene when the screen goes away.
  useEffect(() => {
    if (!handle) return;
    return () => {
      keptScene = {
        elements: handle.api.getSceneElements(),
        files: handle.api.getFiles(),
      };
    };
  }, [handle]);

  // Escape leaves full screen unless Excalidraw has something to cancel (a selection, a tool).
  useEffect(() => {
    if (!full) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || !handle) return;
      const s = handle.api.getAppState();
      const idle = Object.keys(s.selectedElementIds).length === 0 && !s.editingTextElement && s.activeTool.type === 'selection';
      if (idle) setFull(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [full, handle]);

  const canvasRef = useRef<HTMLDivElement | null>(null);
  // Back to the canvas after a palette click, so Excalidraw's shortcuts act on the new shape.
  const focusBoard = () => canvasRef.current?.querySelector<HTMLElement>('.excalidraw')?.focus();

  const insert = (info: ComponentInfo) => {
    if (!handle) return;
    handle.addComponent(info.kind, info.name);
    focusBoard();
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    const kind = e.dataTransfer.getData(PALETTE_MIME) as ComponentKind;
    if (!kind || !handle) return;
    // Ours, not a file or a library item: Excalidraw must not handle it as well.
    e.preventDefault();
    e.stopPropagation();
    const info = components?.find((c) => c.kind === kind);
    if (!info) return;
    handle.dropComponent(info.kind, info.name, e.clientX, e.clientY);
    focusBoard();
  };

  const save = async (ext: 'svg' | 'png') => {
    if (!handle) return;
    setBusy(true);
    try {
      const path = await saveBoardImage(handle, exportBase, ext);
      setSaved({ text: `Saved ${path}`, error: false });
    } catch (err) {
      setSaved({ text: `Could not export the board: ${errorMessage(err)}`, error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={`board-pane${full ? ' board-pane-full' : ''}`} aria-label="Whiteboard" data-testid="board-pane">
      <div className="board-toolbar">
        <h2 className="board-title">Whiteboard</h2>
        {live && (
          <span className="board-live" title="The interviewer sees the board as you draw" data-testid="board-live">
            Live
          </span>
        )}
        <span className="board-toolbar-spacer" />
        {saved && (
          <span className={saved.error ? 'board-saved error-text' : 'board-saved'} data-testid="board-export-result" title={saved.text}>
            {saved.text}
          </span>
        )}
        <button type="button" className="button secondary small" onClick={() => void save('svg')} disabled={!handle || busy} data-testid="board-export-svg">
          Export SVG
        </button>
        <button type="button" className="button secondary small" onClick={() => void save('png')} disabled={!handle || busy} data-testid="board-export-png">
          Export PNG
        </button>
        <button
          type="button"
          className="button secondary small"
          onClick={() => setFull((f) => !f)}
          aria-pressed={full}
          data-testid="board-fullscreen"
          title={full ? 'Back to the split view (Escape)' : 'The board fills the window'}
        >
          {full ? 'Exit full screen' : 'Full screen'}
        </button>
      </div>
      <div className="board-body">
        <ComponentPalette components={components} failed={paletteError} onInsert={insert} disabled={!handle} />
        <div
          className="board-canvas"
          data-testid="board-canvas"
          ref={canvasRef}
          onDragOver={(e) => {
            if (e.dataTransfer.types.includes(PALETTE_MIME)) {
              e.preventDefault();
              e.dataTransfer.dropEffect = 'copy';
            }
          }}
          onDropCapture={onDrop}
        >
          <Suspense fallback={<p className="muted board-loading">Loading the whiteboard…</p>}>
            <ExcalidrawBoard initialData={initialData} onReady={onReady} onChange={onSceneChange} />
          </Suspense>
        </div>
      </div>
      <BoardReading graph={reading.graph} components={components} failed={reading.failed} />
    </section>
  );
}
