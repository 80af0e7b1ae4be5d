// The interview's phases as the live session shows them. The engine decides when a phase
// begins (by the clock, or when the candidate moves on); this only names and times them.
import type { Phase as InterviewPhase } from '../bindings/Phase';

export type { InterviewPhase };

/** The phase now, as the last `phase` engine event said. */
export interface PhaseNow {
  phase: InterviewPhase;
  /** Seconds from the session's start. */
  startedS: number;
  budgetS: number;
}

/** Every phase in interview order: its name, and the short label the strip's steps show. */
export const INTERVIEW_PHASES: { phase: InterviewPhase; label: string; short: string }[] = [
  { phase: 'clarify', label: 'Clarify requirements', short: 'Requirements' },
  { phase: 'high_level', label: 'High-level design', short: 'High-level' },
  { phase: 'deep_dive', label: 'Deep dive', short: 'Deep dive' },
  { phase: 'tradeoffs_failures', label: 'Trade-offs and failure modes', short: 'Trade-offs' },
  { phase: 'wrap_up', label: 'Wrap-up', short: 'Wrap-up' },
];

/** Seconds left in the phase's budget at `elapsedS` (negative once over). */
export function phaseSecondsLeft(now: PhaseNow, elapsedS: number): number {
  return now.startedS + now.budgetS - elapsedS;
}

/** True when there is a phase after this one. */
export function hasNextPhase(now: PhaseNow | null): boolean {
  return now !== null && now.phase !== 'wrap_up';
}
