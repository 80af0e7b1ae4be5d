import type { DimensionId } from '../bindings/DimensionId';
import type { PromptInfo } from '../bindings/PromptInfo';
import type { SessionQuery } from '../bindings/SessionQuery';
import { dimensionLabel, levelLabel } from '../format';
import { DIMENSION_ORDER } from './sessionQuery';

interface Props {
  query: SessionQuery;
  prompts: PromptInfo[] | null;
  onChange: (query: SessionQuery) => void;
  /** How many sessions the query matches (null while loading). */
  count: number | null;
}

/** Search box (full text over transcripts) and filters: prompt, date range, weak dimension. */
export function SessionFilters({ query, prompts, onChange, count }: Props) {
  const set = (patch: Partial<SessionQuery>) => onChange({ ...query, ...patch });
  const any = Boolean(query.text || query.prompt_id || query.from || query.to || query.dimension);
  return (
    <div className="session-filters" role="search" aria-label="Find sessions">
      <input
        type="search"
        placeholder="Search what you said…"
        value={query.text ?? ''}
        onChange={(e) => set({ text: e.target.value || null })}
        aria-label="Search transcripts"
        data-testid="session-search"
      />
      <select
        value={query.prompt_id ?? ''}
        onChange={(e) => set({ prompt_id: e.target.value || null })}
        aria-label="Prompt"
        data-testid="filter-prompt"
      >
        <option value="">Every prompt</option>
        {(prompts ?? []).map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </select>
      <div className="filter-row">
        <label htmlFor="filter-from">From</label>
        <input id="filter-from" type="date" value={query.from ?? ''} onChange={(e) => set({ from: e.target.value || null })} data-testid="filter-from" />
        <label htmlFor="filter-to">to</label>
        <input id="filter-to" type="date" value={query.to ?? ''} onChange={(e) => set({ to: e.target.value || null })} data-testid="filter-to" />
      </div>
      <div className="filter-row">
        <select
          value={query.dimension ?? ''}
          onChange={(e) => {
            const dimension = (e.target.value || null) as DimensionId | null;
            set({ dimension, below_level: dimension ? (query.below_level ?? 2) : null });
          }}
          aria-label="Dimension below a level"
          data-testid="filter-dimension"
        >
          <option value="">Any scores</option>
          {DIMENSION_ORDER.map((d) => (
            <option key={d} value={d}>
              {dimensionLabel(d)} below…
            </option>
          ))}
        </select>
        {query.dimension && (
          <select
            value={query.below_level ?? 2}
            onChange={(e) => set({ below_level: Number(e.target.value) })}
            aria-label="Below level"
            data-testid="filter-below"
          >
            {[1, 2, 3, 4].map((l) => (
              <option key={l} value={l}>
                {l} ({levelLabel(l)})
              </option>
            ))}
          </select>
        )}
      </div>
      <div className="filter-foot">
        <span data-testid="session-count">{count === null ? 'Searching…' : `${count} session${count === 1 ? '' : 's'}`}</span>
        {any && (
          <button
            type="button"
            className="as-link evidence-link"
            onClick={() => onChange({ text: null, prompt_id: null, from: null, to: null, dimension: null, below_level: null })}
            data-testid="clear-filters"
          >
            Clear
          </button>
        )}
      </div>
    </div>
  );
}
