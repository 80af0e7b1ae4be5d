import { describe, expect, it } from 'vitest';
import {
  briefSummary,
  clampLevel,
  dimensionLabel,
  errorMessage,
  formatClock,
  formatDuration,
  formatInterval,
  idLabel,
  snippetParts,
  formatOverall,
  levelLabel,
  levelToPercent,
} from './format';

describe('formatClock', () => {
  it('shows mm:ss from the start of the session', () => {
    expect(formatClock(0)).toBe('00:00');
    expect(formatClock(5.9)).toBe('00:05');
    expect(formatClock(65)).toBe('01:05');
    expect(formatClock(59 * 60 + 59)).toBe('59:59');
  });
  it('adds hours past an hour', () => {
    expect(formatClock(3600)).toBe('1:00:00');
    expect(formatClock(3725)).toBe('1:02:05');
  });
  it('treats junk as zero', () => {
    expect(formatClock(-3)).toBe('00:00');
    expect(formatClock(Number.NaN)).toBe('00:00');
  });
});

describe('formatDuration', () => {
  it('reads naturally at every scale', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(245)).toBe('4 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(0)).toBe('0 s');
  });
});

describe('levels', () => {
  it('maps every rubric level to its word', () => {
    expect([0, 1, 2, 3, 4].map(levelLabel)).toEqual(['Not shown', 'Emerging', 'Developing', 'Solid', 'Strong']);
  });
  it('clamps out-of-range levels', () => {
    expect(clampLevel(-1)).toBe(0);
    expect(clampLevel(7)).toBe(4);
    expect(clampLevel(2.6)).toBe(3);
    expect(levelLabel(9)).toBe('Strong');
    expect(levelLabel(Number.NaN)).toBe('Not shown');
  });
  it('formats the overall mean', () => {
    expect(formatOverall(2.375)).toBe('2.4');
    expect(formatOverall(null)).toBe('—');
  });
  it('names every dimension', () => {
    expect(dimensionLabel('tradeoffs')).toBe('Trade-off reasoning');
    expect(dimensionLabel('data_apis')).toBe('Data & APIs');
  });
});

describe('levelToPercent', () => {
  it('maps RMS to a -60..0 dBFS meter', () => {
    expect(levelToPercent(0)).toBe(0);
    expect(levelToPercent(0.0005)).toBe(0);
    expect(levelToPercent(1)).toBe(100);
    expect(levelToPercent(2)).toBe(100);
    expect(levelToPercent(0.001)).toBe(0);
    expect(levelToPercent(0.1)).toBe(67);
  });
});

describe('briefSummary', () => {
  it('takes the first paragraph as plain text', () => {
    expect(briefSummary('# Title\n\nAnswer **10,000** docs with `citations`.\n\n- more')).toBe(
      'Answer 10,000 docs with citations.',
    );
  });
  it('cuts long text at a word', () => {
    const s = briefSummary('word '.repeat(100), 30);
    expect(s.endsWith('…')).toBe(true);
    expect(s.length).toBeLessThanOrEqual(31);
  });
});

describe('errorMessage', () => {
  it('shows a command rejection verbatim', () => {
    expect(errorMessage('The microphone is busy.')).toBe('The microphone is busy.');
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage({ message: 'inner' })).toBe('inner');
    expect(errorMessage({ kind: 'busy', message: 'A session is already recording: stop it first.' })).toBe(
      'A session is already recording: stop it first.',
    );
  });
});

describe('formatInterval', () => {
  it('says the interval in the largest sensible unit', () => {
    expect(formatInterval(10 / (24 * 60))).toBe('10 minutes');
    expect(formatInterval(0.21)).toBe('5 hours');
    expect(formatInterval(1)).toBe('1 day');
    expect(formatInterval(2.4)).toBe('2 days');
    expect(formatInterval(90)).toBe('3 months');
    expect(formatInterval(365)).toBe('1 year');
    expect(formatInterval(0)).toBe('now');
  });
});

describe('snippetParts', () => {
  it('marks the words between ** as matches', () => {
    expect(snippetParts('a **prompt injection** attack')).toEqual([
      { text: 'a ', match: false },
      { text: 'prompt injection', match: true },
      { text: ' attack', match: false },
    ]);
    expect(snippetParts('no marks')).toEqual([{ text: 'no marks', match: false }]);
  });
});

describe('idLabel', () => {
  it('turns ids into labels', () => {
    expect(idLabel('system-design')).toBe('System design');
    expect(idLabel('question')).toBe('Question');
  });
});
