import { useEffect, useState } from 'react';
import type { SearchHit } from '../bindings/SearchHit';
import { studySearch } from '../ipc';
import { useReportError } from './errors';

const SEARCH_DEBOUNCE_MS = 150;

/**
 * Searches cards, glossary and prompts as the user types (debounced). Returns the hits for the
 * current query, or null while they are not known yet (or the query is empty).
 */
export function useSearch(query: string): SearchHit[] | null {
  const reportError = useReportError();
  const [found, setFound] = useState<{ query: string; hits: SearchHit[] } | null>(null);
  const trimmed = query.trim();
  useEffect(() => {
    if (!trimmed) return;
    let cancelled = false;
    const timer = window.setTimeout(() => {
      studySearch(trimmed).then(
        (hits) => !cancelled && setFound({ query: trimmed, hits }),
        (err: unknown) => {
          if (cancelled) return;
          reportError(err);
          setFound({ query: trimmed, hits: [] });
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [trimmed, reportError]);
  return found?.query === trimmed ? found.hits : null;
}
