import { describe, expect, it } from 'vitest';
import { UNCERTAIN_BELOW } from '../bindings/uncertainBelow';
import { isUncertain, wordsToShow } from './uncertainWords';

const word = (text: string, p?: number) => ({ t0: 0, t1: 0.3, text, ...(p === undefined ? {} : { p }) });

describe('uncertain words', () => {
  it('are those below the engine threshold; a word without a confidence is not', () => {
    expect(isUncertain(word('Macov', UNCERTAIN_BELOW / 2))).toBe(true);
    expect(isUncertain(word('backoff', UNCERTAIN_BELOW))).toBe(false);
    expect(isUncertain(word('backoff'))).toBe(false);
  });

  it('are shown one by one only when one is uncertain and the words spell the text', () => {
    const words = [word('retry', 0.9), word('with', 0.95), word('Macov.', 0.1)];
    expect(wordsToShow({ text: ' retry with Macov.', words })).toEqual(words);
    // Nothing to dim: the plain text.
    expect(wordsToShow({ text: 'retry with', words: words.slice(0, 2) })).toBeNull();
    // Corrected by hand since (the words no longer spell it): the text as it now reads.
    expect(wordsToShow({ text: 'retry with backoff.', words })).toBeNull();
    expect(wordsToShow({ text: 'retry', words: [] })).toBeNull();
  });
});
