// Pure helpers for the sessions list: the dimension order, the query sent to the engine, the
// compact level strip.
// Tested in sessionQuery.test.ts.
import type { DimensionId } from '../bindings/DimensionId';
import type { DimensionLevel } from '../bindings/DimensionLevel';
import type { SessionQuery } from '../bindings/SessionQuery';

export const DIMENSION_ORDER: readonly DimensionId[] = [
  'requirements',
  'architecture',
  'data_apis',
  'depth',
  'tradeoffs',
  'reliability',
  'evaluation',
  'communication',
];

export const EMPTY_QUERY: SessionQuery = { text: null, prompt_id: null, from: null, to: null, dimension: null, below_level: null };

/** The query as the engine should get it: blank text dropped, a level only with a dimension. */
export function normaliseQuery(q: SessionQuery): SessionQuery {
  const text = q.text?.trim() ? q.text.trim() : null;
  const dimension = q.dimension ?? null;
  return {
    text,
    prompt_id: q.prompt_id || null,
    from: q.from || null,
    to: q.to || null,
    dimension,
    below_level: dimension ? (q.below_level ?? 2) : null,
  };
}

/** Two queries ask for the same sessions. */
export function sameQuery(a: SessionQuery, b: SessionQuery): boolean {
  const x = normaliseQuery(a);
  const y = normaliseQuery(b);
  return (Object.keys(x) as (keyof SessionQuery)[]).every((k) => x[k] === y[k]);
}

/** The eight levels in rubric order for the compact strip; null where a dimension has none. */
export function levelStrip(levels: readonly DimensionLevel[]): (number | null)[] {
  const byId = new Map(levels.map((l) => [l.id, l.level]));
  return DIMENSION_ORDER.map((d) => byId.get(d) ?? null);
}
