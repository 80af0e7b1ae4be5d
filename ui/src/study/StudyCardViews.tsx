// The card on screen: a due card (front, then the answer and the grade buttons) or a card opened
// from search.
import type { DueCard } from '../bindings/DueCard';
import type { ReviewGrade } from '../bindings/ReviewGrade';
import type { SpokenAnswer } from '../bindings/SpokenAnswer';
import type { StudyCard } from '../bindings/StudyCard';
import { Markdown } from '../components/Markdown';
import { idLabel } from '../format';
import { AnswerCoverageView, AnswerRecorder } from './AnswerAloud';
import { GRADES, type AnswerState } from './studyState';

function CardFront({ kind, area, title }: { kind: string; area: string; title: string }) {
  return (
    <div className="study-front">
      <p className="eyebrow">
        {idLabel(kind)} · {idLabel(area)}
      </p>
      <h2 className="study-title">{title}</h2>
    </div>
  );
}

function CardAnswer({ card, spoken }: { card: StudyCard | null; spoken?: SpokenAnswer | null }) {
  if (!card) return <p className="muted" data-testid="study-answer">Loading the answer…</p>;
  return (
    <div className="study-answer" data-testid="study-answer">
      {spoken && <AnswerCoverageView result={spoken} />}
      {card.body.trim() && <Markdown source={card.body} className="study-body" />}
      {!spoken && card.key_points.length > 0 && (
        <section className="study-section">
          <h3>Key points</h3>
          <ul className="key-points">
            {card.key_points.map((kp) => (
              <li key={kp}>{kp}</li>
            ))}
          </ul>
        </section>
      )}
      {card.weak_answers.length > 0 && (
        <section className="study-section">
          <h3>Answers that lose the interviewer</h3>
          <ul className="weak-answers">
            {card.weak_answers.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      )}
      {card.followups.length > 0 && (
        <section className="study-section">
          <h3>What they ask next</h3>
          <ul className="plain-bullets">
            {card.followups.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

interface DueCardViewProps {
  due: DueCard;
  card: StudyCard | null;
  revealed: boolean;
  busy: boolean;
  answer: AnswerState | null;
  onReveal: () => void;
  onAnswerAloud: () => void;
  onStopAnswer: () => void;
  onGrade: (grade: ReviewGrade) => void;
}

export function DueCardView({ due, card, revealed, busy, answer, onReveal, onAnswerAloud, onStopAnswer, onGrade }: DueCardViewProps) {
  const spoken = answer?.phase === 'done' ? answer.result : null;
  const suggested = spoken?.coverage.suggested_grade ?? null;
  const canAnswerAloud = Boolean(card && card.key_points.length > 0);
  return (
    <article
      className="card study-card"
      data-testid="study-card"
      data-card-id={due.card_id}
      data-area={due.area}
      data-revealed={revealed}
    >
      <div className="study-card-head">
        <CardFront kind={due.kind} area={due.area} title={due.title} />
        <span className={`state-chip state-${due.state}`}>{due.state === 'new' ? 'New' : idLabel(due.state)}</span>
      </div>
      {due.reason && (
        <p className="study-reason" data-testid="study-reason">
          From your practice: {due.reason}
        </p>
      )}
      {revealed ? (
        <>
          <CardAnswer card={card} spoken={spoken} />
          <div className="grade-row" role="group" aria-label="How well did you recall it?">
            <p className="grade-prompt muted">
              {suggested
                ? `How well did you recall it? From the key points your answer covered, ${idLabel(suggested)} is suggested; the choice is yours.`
                : 'How well did you recall it?'}
            </p>
            <div className="grade-buttons">
              {GRADES.map((g) => (
                <button
                  key={g.grade}
                  type="button"
                  className={`grade-button grade-${g.grade}${suggested === g.grade ? ' suggested' : ''}`}
                  data-testid={`study-grade-${g.grade}`}
                  disabled={busy}
                  title={g.hint}
                  onClick={() => onGrade(g.grade)}
                >
                  <span className="grade-label">{g.label}</span>
                  {suggested === g.grade && (
                    <span className="suggested-badge" data-testid="study-suggested-grade" data-grade={g.grade}>
                      Suggested
                    </span>
                  )}
                  <kbd>{g.key}</kbd>
                </button>
              ))}
            </div>
          </div>
        </>
      ) : answer ? (
        <AnswerRecorder state={answer} onStop={onStopAnswer} />
      ) : (
        <div className="study-reveal">
          <p className="muted">
            {canAnswerAloud
              ? 'Answer it out loud: Rehearse checks your answer against the key points.'
              : due.kind === 'question'
                ? 'Answer it out loud or in your head first.'
                : 'Recall what you know about it first.'}
          </p>
          <div className="study-reveal-actions">
            {canAnswerAloud && (
              <button type="button" className="button" data-testid="study-answer-aloud" onClick={onAnswerAloud}>
                <span className="mic-glyph" aria-hidden="true">●</span> Answer out loud <kbd>A</kbd>
              </button>
            )}
            <button type="button" className="button primary" data-testid="study-show-answer" onClick={onReveal}>
              Show answer <kbd className="on-primary">Space</kbd>
            </button>
          </div>
        </div>
      )}
    </article>
  );
}

export function OpenedCard({ card, backLabel, onBack }: { card: StudyCard | null; backLabel: string; onBack: () => void }) {
  return (
    <article
      className="card study-card"
      data-testid="study-card"
      data-card-id={card?.card_id ?? ''}
      data-area={card?.area ?? ''}
      data-revealed
    >
      <button type="button" className="as-link back-link" onClick={onBack}>
        ← {backLabel}
      </button>
      {card ? (
        <>
          <CardFront kind={card.kind} area={card.area} title={card.title} />
          <CardAnswer card={card} />
        </>
      ) : (
        <p className="muted">Loading the card…</p>
      )}
    </article>
  );
}
