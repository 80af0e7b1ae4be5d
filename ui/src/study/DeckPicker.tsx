import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { StudyDeck } from '../bindings/StudyDeck';
import { idLabel } from '../format';

const AREA_LABELS: Record<string, string> = {
  'ml-fundamentals': 'ML fundamentals',
  'llm-apis': 'LLM APIs',
  agents: 'Agents',
  'system-design': 'System design',
  'coding-patterns': 'Coding patterns',
  practice: 'From practice',
};

/** The deck selector: every deck, then each topic area, each with how many cards are to study. */
export function DeckPicker({
  decks,
  deck,
  onChoose,
  disabled,
}: {
  decks: StudyDeck[] | null;
  deck: string | null;
  onChoose: (area: string | null) => void;
  disabled: boolean;
}) {
  const options: { area: string | null; label: string; due: number | null }[] = [
    { area: null, label: 'All decks', due: decks ? decks.reduce((n, d) => n + d.due, 0) : null },
    ...(decks ?? []).map((d) => ({ area: d.area, label: AREA_LABELS[d.area] ?? idLabel(d.area), due: d.due })),
  ];
  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    const delta =
      e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!delta || disabled) return;
    e.preventDefault();
    const at = Math.max(0, options.findIndex((o) => o.area === deck));
    const next = options[(at + delta + options.length) % options.length]!;
    onChoose(next.area);
    e.currentTarget.querySelector<HTMLButtonElement>(`[data-area="${CSS.escape(next.area ?? 'all')}"]`)?.focus();
  };
  return (
    <div className="deck-picker" role="radiogroup" aria-label="Deck" data-testid="study-deck" onKeyDown={onKeyDown}>
      {options.map((o) => {
        const selected = o.area === deck;
        return (
          <button
            key={o.area ?? 'all'}
            type="button"
            role="radio"
            aria-checked={selected}
            tabIndex={selected ? 0 : -1}
            className={selected ? 'deck-option selected' : 'deck-option'}
            data-area={o.area ?? 'all'}
            data-count={o.due ?? ''}
            disabled={disabled && !selected}
            onClick={() => onChoose(o.area)}
          >
            <span>{o.label}</span>
            <span className="deck-count">{o.due ?? '…'}</span>
          </button>
        );
      })}
    </div>
  );
}
