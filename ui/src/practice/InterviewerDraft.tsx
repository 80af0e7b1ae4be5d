// The LLM interviewer's follow-up while it is being generated: the engine streams the question's
// text as it forms (EngineEvent `interviewer_draft`), and the validated turn replaces it in the
// transcript. If the LLM fails, the engine withdraws the draft and a notice says the offline
// interviewer answered instead.
import { useEffect, useRef } from 'react';
import './interviewerDraft.css';

export function InterviewerDraft({ text }: { text: string | null }) {
  const box = useRef<HTMLDivElement>(null);
  // While a question forms, keep it in view (the talk panel may be scrolled; `nearest` does
  // nothing when it is already visible).
  useEffect(() => {
    if (text !== null) box.current?.scrollIntoView?.({ block: 'nearest' });
  }, [text]);
  if (text === null) return null;
  return (
    <div ref={box} className="turn interviewer-draft" data-testid="interviewer-draft" aria-live="polite" aria-busy="true">
      <div className="turn-bubble">
        <div className="turn-meta">
          <span className="turn-who">Interviewer</span>
          <span className="interviewer-draft-state">asking…</span>
        </div>
        <p className="turn-text">
          {text}
          <span className="interviewer-draft-caret" aria-hidden="true" />
        </p>
      </div>
    </div>
  );
}
