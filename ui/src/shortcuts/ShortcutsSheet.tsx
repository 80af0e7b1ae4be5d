import { useEffect, useRef } from 'react';
import { SHORTCUT_GROUPS } from './shortcuts';

/** The `?` sheet: every keyboard shortcut, grouped by where it works. */
export function ShortcutsSheet({ onClose }: { onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="sheet-backdrop" onClick={onClose}>
      <div
        className="card shortcuts-sheet"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        data-testid="shortcuts-sheet"
        onClick={(e) => e.stopPropagation()}
      >
        <header className="sheet-header">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <button ref={closeRef} type="button" className="button" onClick={onClose} data-testid="shortcuts-close">
            Close
          </button>
        </header>
        <div className="shortcut-groups">
          {SHORTCUT_GROUPS.map((g) => (
            <section key={g.title}>
              <h3>{g.title}</h3>
              <dl className="shortcut-list">
                {g.shortcuts.map((s) => (
                  <div key={s.keys.join('+') + s.action} className="shortcut-row">
                    <dt>
                      {s.keys.map((k, i) => (
                        <kbd key={i}>{k}</kbd>
                      ))}
                    </dt>
                    <dd>{s.action}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
        <p className="muted small">
          Shortcuts do nothing while you type in a field or draw on the whiteboard.
        </p>
      </div>
    </div>
  );
}
