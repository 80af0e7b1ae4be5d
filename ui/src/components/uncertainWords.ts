// Which transcript words whisper was unsure of. The threshold is the engine's
// (rehearse_core::UNCERTAIN_BELOW, generated into the bindings); the interviewer never
// quotes these words, and the transcript shows them dimmed.
import type { Segment } from '../bindings/Segment';
import type { Word } from '../bindings/Word';
import { UNCERTAIN_BELOW } from '../bindings/uncertainBelow';

/** The tooltip on a dimmed word. */
export const UNSURE_TITLE = 'whisper was unsure of this word';

/** A word without a confidence (stored before they existed, or typed in) is not uncertain. */
export function isUncertain(word: Pick<Word, 'p'>): boolean {
  return word.p !== undefined && word.p < UNCERTAIN_BELOW;
}

/**
 * The segment's words to show one by one, when at least one is uncertain and together they
 * spell the segment's text; null to show the text as it is (no words, none uncertain, or a
 * text corrected by hand since).
 */
export function wordsToShow(segment: Pick<Segment, 'text' | 'words'>): Word[] | null {
  const words = segment.words;
  if (!words.some(isUncertain)) return null;
  const spelled = words.map((w) => w.text).join(' ');
  return spelled === segment.text.trim() ? words : null;
}
