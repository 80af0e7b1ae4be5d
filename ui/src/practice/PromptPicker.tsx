import type { KeyboardEvent } from 'react';
import type { PromptInfo } from '../bindings/PromptInfo';
import { briefSummary } from '../format';

interface Props {
  prompts: PromptInfo[] | null;
  selectedId: string | null;
  onSelect: (id: string) => void;
  disabled?: boolean;
}

/** Prompt cards as a radio group: arrow keys move between them, Space/Enter picks. */
export function PromptPicker({ prompts, selectedId, onSelect, disabled }: Props) {
  if (prompts === null) return <p className="muted">Loading prompts…</p>;
  if (prompts.length === 0) return <p className="empty">No practice prompts are installed.</p>;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const delta = e.key === 'ArrowDown' || e.key === 'ArrowRight' ? 1 : e.key === 'ArrowUp' || e.key === 'ArrowLeft' ? -1 : 0;
    if (!delta || disabled) return;
    e.preventDefault();
    const index = Math.max(0, prompts.findIndex((p) => p.id === selectedId));
    const next = prompts[(index + delta + prompts.length) % prompts.length]!;
    onSelect(next.id);
    const button = e.currentTarget.querySelector<HTMLButtonElement>(`[data-prompt-id="${CSS.escape(next.id)}"]`);
    button?.focus();
  };

  return (
    <div className="prompt-grid" role="radiogroup" aria-label="Practice prompt" onKeyDown={onKeyDown} data-testid="prompt-picker">
      {prompts.map((p) => {
        const selected = p.id === selectedId;
        return (
          <button
            key={p.id}
            type="button"
            role="radio"
            aria-checked={selected}
            tabIndex={selected || (!selectedId && p === prompts[0]) ? 0 : -1}
            className={selected ? 'prompt-card selected' : 'prompt-card'}
            data-testid="prompt-option"
            data-prompt-id={p.id}
            disabled={disabled}
            onClick={() => onSelect(p.id)}
          >
            <span className="prompt-title">{p.title}</span>
            <span className="prompt-brief">{briefSummary(p.brief)}</span>
          </button>
        );
      })}
    </div>
  );
}
