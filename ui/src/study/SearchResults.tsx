import type { SearchHit } from '../bindings/SearchHit';
import { idLabel, snippetParts } from '../format';
import '../components/search.css';

export function SearchResults({ query, hits, onOpen }: { query: string; hits: SearchHit[] | null; onOpen: (id: string) => void }) {
  if (hits === null) {
    return (
      <div className="card search-results">
        <p className="muted">Searching…</p>
      </div>
    );
  }
  if (hits.length === 0) {
    return (
      <div className="card empty-state">
        <p className="empty-title">Nothing matches “{query}”</p>
        <p className="muted">Every word must occur. Try fewer or different words.</p>
      </div>
    );
  }
  return (
    <section className="card search-results" aria-label="Search results">
      <p className="eyebrow">
        {hits.length} result{hits.length === 1 ? '' : 's'} for “{query}”
      </p>
      <ul className="hit-list">
        {hits.map((hit) => {
          const body = (
            <>
              <span className="hit-head">
                <span className={`kind-chip kind-${hit.kind}`}>{idLabel(hit.kind)}</span>
                <span className="hit-title">{hit.title}</span>
              </span>
              <span className="hit-snippet">
                {snippetParts(hit.snippet).map((part, i) =>
                  part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
                )}
              </span>
            </>
          );
          return (
            <li key={`${hit.kind}:${hit.id}`}>
              {hit.kind === 'card' ? (
                <button
                  type="button"
                  className="hit"
                  data-testid="study-search-hit"
                  data-kind={hit.kind}
                  data-id={hit.id}
                  onClick={() => onOpen(hit.id)}
                >
                  {body}
                </button>
              ) : (
                <div className="hit static" data-testid="study-search-hit" data-kind={hit.kind} data-id={hit.id}>
                  {body}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
