import { useEffect, useState } from 'react';
import type { SpokenAnswer } from '../bindings/SpokenAnswer';
import { formatClock } from '../format';
import type { AnswerState } from './studyState';

/** Recording, then transcribing: what shows in place of "Show answer" while answering out loud. */
export function AnswerRecorder({ state, onStop }: { state: AnswerState; onStop: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  const recording = state.phase === 'recording';
  useEffect(() => {
    if (!recording) return;
    const id = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(id);
  }, [recording]);

  if (state.phase === 'recording') {
    const seconds = Math.max(0, (now - state.startedAt) / 1000);
    return (
      <div className="answer-recorder is-recording" data-testid="study-answer-recording" role="status">
        <span className="rec-dot" aria-hidden="true" />
        <div className="answer-recorder-text">
          <strong>Recording your answer</strong>
          <span className="muted">Say it as you would to the interviewer, then stop.</span>
        </div>
        <span className="elapsed answer-elapsed" role="timer" aria-label="Elapsed time">
          {formatClock(seconds)}
        </span>
        <button type="button" className="button danger" data-testid="study-answer-stop" onClick={onStop}>
          Stop <kbd className="on-primary">A</kbd>
        </button>
      </div>
    );
  }
  return (
    <div className="answer-recorder" data-testid="study-answer-busy" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="muted">{state.phase === 'starting' ? 'Opening the microphone…' : 'Transcribing…'}</span>
    </div>
  );
}

/** A phrase as a pattern that ignores case and the punctuation or spacing between its words. */
function phrasePattern(phrase: string): string | null {
  const words = phrase
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.length ? `\\b${words.join('[^a-z0-9]+')}\\b` : null;
}

/** The transcript cut into plain and matched parts, the matched phrases marked. */
export function highlightParts(text: string, phrases: string[]): { text: string; match: boolean }[] {
  const patterns = phrases.map(phrasePattern).filter((p): p is string => p !== null);
  if (!patterns.length || !text) return [{ text, match: false }];
  const re = new RegExp(patterns.join('|'), 'gi');
  const parts: { text: string; match: boolean }[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index ?? 0;
    if (!m[0]) continue;
    if (at > last) parts.push({ text: text.slice(last, at), match: false });
    parts.push({ text: m[0], match: true });
    last = at + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

/** What was heard and which key points it covers, in place of the plain key-point list. */
export function AnswerCoverageView({ result }: { result: SpokenAnswer }) {
  const { coverage, transcript } = result;
  const total = coverage.covered.length + coverage.missed.length;
  const parts = highlightParts(
    transcript,
    coverage.covered.map((c) => c.matched_phrase),
  );
  return (
    <section className="study-section answer-coverage" data-testid="study-answer-coverage">
      <h3>Your answer</h3>
      <blockquote className="answer-transcript" data-testid="study-answer-transcript">
        {transcript.trim()
          ? parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))
          : <span className="muted">Nothing was heard. Check the microphone in Settings.</span>}
      </blockquote>
      <h3>
        Key points: {coverage.covered.length} of {total} covered
      </h3>
      <ul className="key-points answer-key-points">
        {coverage.covered.map((c) => (
          <li key={c.key_point_id} className="covered" data-testid="study-keypoint" data-covered="true">
            <span>{c.text}</span>
            <span className="matched-phrase">
              you said <mark>{c.matched_phrase}</mark>
            </span>
          </li>
        ))}
        {coverage.missed.map((m) => (
          <li key={m.key_point_id} className="missed" data-testid="study-keypoint" data-covered="false">
            <span>{m.text}</span>
            <span className="matched-phrase">missed</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
