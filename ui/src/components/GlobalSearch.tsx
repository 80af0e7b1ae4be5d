import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useSearch } from './useSearch';
import type { GlossaryEntry } from '../bindings/GlossaryEntry';
import type { SearchHit } from '../bindings/SearchHit';
import { idLabel, snippetParts } from '../format';
import { studyTerm } from '../ipc';
import { Markdown } from './Markdown';
import { useReportError } from './errors';
import './search.css';


interface Props {
  /** The Study screen has a search box of its own, which "/" goes to there. */
  slashFocusesHere: boolean;
  onOpenCard: (cardId: string) => void;
  onOpenPrompt: (promptId: string) => void;
}

/**
 * The search box in the nav rail, there on every screen ("/" or Ctrl+K goes to it): cards,
 * glossary terms and prompts. A card opens in Study, a prompt is picked in Practice, and a
 * glossary term shows its definition here.
 */
export function GlobalSearch({ slashFocusesHere, onOpenCard, onOpenPrompt }: Props) {
  const reportError = useReportError();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  // The glossary term opened from a hit; 'loading' while it is read.
  const [term, setTerm] = useState<GlossaryEntry | 'loading' | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  // Search as you type.
  const trimmed = query.trim();
  const hits = useSearch(query);

  const close = useCallback(() => {
    setOpen(false);
    setTerm(null);
  }, []);

  const focusInput = useCallback(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
    setOpen(true);
  }, []);

  // "/" (outside Study) or Ctrl+K anywhere goes to the box.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing =
        target instanceof HTMLInputElement ||
        target instanceof HTMLTextAreaElement ||
        target instanceof HTMLSelectElement ||
        Boolean(target?.isContentEditable);
      // The whiteboard (Excalidraw) owns its keys: Ctrl+K adds a link there, `/` is its own.
      if (target?.closest?.('.excalidraw')) return;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 'k' || e.key === 'K')) {
        e.preventDefault();
        focusInput();
      } else if (e.key === '/' && !typing && slashFocusesHere && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        focusInput();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [slashFocusesHere, focusInput]);

  // A click outside the box and its panel closes the panel.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node | null;
      if (t && (boxRef.current?.contains(t) || panelRef.current?.contains(t))) return;
      close();
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open, close]);

  const openTerm = useCallback(
    (id: string) => {
      setTerm('loading');
      studyTerm(id).then(setTerm, (err: unknown) => {
        reportError(err);
        setTerm(null);
      });
    },
    [reportError],
  );

  // A "see also" id names a glossary term or a card.
  const openRelated = useCallback(
    (id: string) => {
      studyTerm(id).then(setTerm, () => {
        close();
        onOpenCard(id);
      });
    },
    [close, onOpenCard],
  );

  const showPanel = open && (trimmed !== '' || term !== null);

  const openHit = (hit: SearchHit) => {
    if (hit.kind === 'glossary') {
      openTerm(hit.id);
      return;
    }
    close();
    inputRef.current?.blur();
    if (hit.kind === 'card') onOpenCard(hit.id);
    else onOpenPrompt(hit.id);
  };

  // Up and down move between the box and the hits; Escape steps back, then closes.
  const onPanelKey = (e: ReactKeyboardEvent<HTMLElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      if (term) setTerm(null);
      else if (showPanel) {
        close();
        inputRef.current?.focus();
      } else inputRef.current?.blur();
      return;
    }
    if (e.key === 'Enter' && e.target === inputRef.current && hits?.[0]) {
      e.preventDefault();
      openHit(hits[0]);
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const items = Array.from(panelRef.current?.querySelectorAll<HTMLButtonElement>('button.hit') ?? []);
    if (items.length === 0) return;
    e.preventDefault();
    const at = items.findIndex((b) => b === document.activeElement);
    const next = e.key === 'ArrowDown' ? at + 1 : at - 1;
    if (next < 0) inputRef.current?.focus();
    else items[Math.min(next, items.length - 1)]?.focus();
  };

  return (
    <>
      <div className="global-search-box" ref={boxRef}>
        <svg className="search-icon" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="11" cy="11" r="6.5" />
          <path d="m16 16 4.5 4.5" />
        </svg>
        <input
          ref={inputRef}
          type="search"
          className="global-search"
          data-testid="global-search"
          placeholder="Search"
          aria-label="Search cards, terms and prompts"
          aria-expanded={showPanel}
          aria-controls="global-search-panel"
          value={query}
          onFocus={() => setOpen(true)}
          onChange={(e) => {
            setQuery(e.target.value);
            setTerm(null);
            setOpen(true);
          }}
          onKeyDown={onPanelKey}
        />
        {!query && (
          <kbd className="search-kbd" aria-hidden="true">
            /
          </kbd>
        )}
      </div>
      {showPanel && (
        <div
          className="global-search-panel card"
          id="global-search-panel"
          ref={panelRef}
          data-testid="global-search-panel"
          onKeyDown={onPanelKey}
        >
          {term === 'loading' ? (
            <p className="muted">Loading the term…</p>
          ) : term ? (
            <TermView term={term} onBack={trimmed ? () => setTerm(null) : null} onRelated={openRelated} />
          ) : (
            <Hits query={trimmed} hits={hits} onOpen={openHit} />
          )}
        </div>
      )}
    </>
  );
}

function Hits({ query, hits, onOpen }: { query: string; hits: SearchHit[] | null; onOpen: (hit: SearchHit) => void }) {
  if (hits === null) return <p className="muted">Searching…</p>;
  if (hits.length === 0) {
    return (
      <div className="empty-state">
        <p className="empty-title">Nothing matches “{query}”</p>
        <p className="muted">Every word must occur. Try fewer or different words.</p>
      </div>
    );
  }
  return (
    <section aria-label="Search results">
      <p className="eyebrow">
        {hits.length} result{hits.length === 1 ? '' : 's'} for “{query}” · ↓ to move, Enter to open
      </p>
      <ul className="hit-list">
        {hits.map((hit) => (
          <li key={`${hit.kind}:${hit.id}`}>
            <button
              type="button"
              className="hit"
              data-testid="global-search-hit"
              data-kind={hit.kind}
              data-id={hit.id}
              onClick={() => onOpen(hit)}
            >
              <span className="hit-head">
                <span className={`kind-chip kind-${hit.kind}`}>{idLabel(hit.kind)}</span>
                <span className="hit-title">{hit.title}</span>
                <span className="hit-action muted">
                  {hit.kind === 'card' ? 'Open in Study' : hit.kind === 'prompt' ? 'Practise it' : 'Definition'}
                </span>
              </span>
              <span className="hit-snippet">
                {snippetParts(hit.snippet).map((part, i) =>
                  part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
                )}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function TermView({
  term,
  onBack,
  onRelated,
}: {
  term: GlossaryEntry;
  onBack: (() => void) | null;
  onRelated: (id: string) => void;
}) {
  return (
    <article className="glossary-term" data-testid="glossary-term" data-id={term.id}>
      {onBack && (
        <button type="button" className="as-link back-link" onClick={onBack}>
          ← Back to results
        </button>
      )}
      <p className="eyebrow">Glossary</p>
      <h2 className="glossary-title">{term.term}</h2>
      <div data-testid="glossary-definition">
        <Markdown source={term.definition} />
      </div>
      {term.see_also.length > 0 && (
        <p className="see-also">
          <span className="muted">See also</span>
          {term.see_also.map((id) => (
            <button key={id} type="button" className="chip-link" onClick={() => onRelated(id)}>
              {idLabel(id)}
            </button>
          ))}
        </p>
      )}
    </article>
  );
}
