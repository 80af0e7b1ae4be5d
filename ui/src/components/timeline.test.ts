import { describe, expect, it } from 'vitest';
import { activeSegmentIndex, buildTimeline } from './timeline';
import { parseInline, parseMarkdown } from './markdown';

describe('buildTimeline', () => {
  it('interleaves segments, turns and notices by time, words before a follow-up on a tie', () => {
    const items = buildTimeline(
      [
        { t0: 0, t1: 4, text: 'a', words: [] },
        { t0: 10, t1: 12, text: 'c', words: [] },
      ],
      [{ at: 10, role: 'interviewer', text: 'q', targets: ['evaluation'] }],
      [{ at: 5, message: 'n' }],
    );
    expect(items.map((i) => i.kind)).toEqual(['segment', 'notice', 'segment', 'turn']);
  });
  it('finds the segment being spoken', () => {
    const segs = [
      { t0: 0, t1: 4, text: 'a', words: [] },
      { t0: 5, t1: 9, text: 'b', words: [] },
    ];
    expect(activeSegmentIndex(segs, 6)).toBe(1);
    expect(activeSegmentIndex(segs, 4.5)).toBe(-1);
  });
});

describe('markdown', () => {
  it('parses the subset briefs use', () => {
    const blocks = parseMarkdown('Design **it**.\n\n- one\n- two\n\n1. first');
    expect(blocks.map((b) => b.kind)).toEqual(['paragraph', 'list', 'list']);
    expect(blocks[1]).toMatchObject({ ordered: false, items: [[{ text: 'one' }], [{ text: 'two' }]] });
    expect(parseInline('a `b` *c*')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'code', text: 'b' },
      { kind: 'text', text: ' ' },
      { kind: 'em', text: 'c' },
    ]);
  });
});
