import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../bindings/CheckResult';
import { summariseChecks } from './checklistSummary';

function check(name: string, over: Partial<CheckResult> = {}): CheckResult {
  return { name, met: false, evidence: null, needed_for: null, holds_level: false, uncounted: false, ...over };
}

describe('summariseChecks', () => {
  it('counts only the checks that earn a level, and names what holds the level back', () => {
    const quote = { quote: 'we use Pinecone', t0: 3 };
    const summary = summariseChecks([
      check('named products', { met: true, evidence: quote, uncounted: true }),
      check('embeddings', { met: true, evidence: quote }),
      check('retrieval'),
      check('flow', { needed_for: 4, holds_level: true }),
    ]);
    expect(summary).toEqual({ met: 1, counted: 3, needs: ['level 4 needs Flow'] });
  });

  it('groups the open conditions of one level, lowest level first', () => {
    const summary = summariseChecks([
      check('when otherwise', { needed_for: 4, holds_level: true }),
      check('versus', { needed_for: 2, holds_level: true }),
      check('cost of', { needed_for: 2, holds_level: true }),
      check('because', { met: true, evidence: { quote: 'because', t0: 1 } }),
    ]);
    expect(summary.needs).toEqual(['level 2 needs one of Versus, Cost of', 'level 4 needs When otherwise']);
    expect(summary.met).toBe(1);
  });
});
