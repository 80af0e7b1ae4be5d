import type { ComponentInfo } from '../bindings/ComponentInfo';
import { componentLook } from './scene';

/** The drag type a palette item carries; the board's drop handler reads it. */
export const PALETTE_MIME = 'application/x-rehearse-component';

interface Props {
  components: ComponentInfo[] | null;
  /** Why the library could not be read, if it could not. */
  failed: string | null;
  onInsert: (info: ComponentInfo) => void;
  disabled: boolean;
}

/** The system-design component library: click to add in view, or drag onto the board. */
export function ComponentPalette({ components, failed, onInsert, disabled }: Props) {
  return (
    <nav className="board-palette" aria-label="Component library" data-testid="board-palette">
      <p className="board-palette-title">Components</p>
      {failed && <p className="board-palette-note">{failed}</p>}
      {!components && !failed && <p className="board-palette-note">Loading…</p>}
      <ul>
        {components?.map((c) => {
          const look = componentLook(c.kind);
          return (
            <li key={c.kind}>
              <button
                type="button"
                className="board-palette-item"
                title={`${c.description} Click to add, or drag onto the board.`}
                draggable={!disabled}
                disabled={disabled}
                data-testid={`palette-${c.kind}`}
                onClick={() => onInsert(c)}
                onDragStart={(e) => {
                  e.dataTransfer.setData(PALETTE_MIME, c.kind);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
              >
                <span
                  className={`board-swatch board-swatch-${look.shape}`}
                  style={{ borderColor: look.stroke, background: look.fill }}
                  aria-hidden="true"
                />
                <span className="board-palette-name">{c.name}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
