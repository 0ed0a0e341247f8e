import { describe, expect, it } from 'vitest';
import { effectiveStars, starChanges, suggestStars } from '../../../shared/rules/stars.js';

describe('stars', () => {
  it('R5: the star follows the kind — routine 3★, indicator 4★, major project 5★', () => {
    expect(suggestStars('routine')).toBe(3);
    expect(suggestStars('indicator')).toBe(4);
    expect(suggestStars('major')).toBe(5);
    expect(suggestStars(null)).toBeNull();
  });

  it('R5: the ledger’s own star wins over the suggestion', () => {
    expect(effectiveStars({ stars: 5, category: 'routine' })).toBe(5);
    expect(effectiveStars({ stars: null, category: 'indicator' })).toBe(4);
    expect(effectiveStars({ stars: null, category: null })).toBeNull();
  });

  it('R5: one-click 赋星 by kind lists only real changes, and leaves a task of unknown kind alone', () => {
    const tasks = [
      { id: 'a', row: 5, stars: null, category: 'major' as const },
      { id: 'b', row: 6, stars: 4 as const, category: 'indicator' as const },
      { id: 'c', row: 7, stars: 3 as const, category: 'indicator' as const },
      { id: 'd', row: 8, stars: 3 as const, category: null },
    ];
    expect(starChanges(tasks, 'byKind')).toEqual([
      { taskId: 'a', row: 5, from: null, to: 5 },
      { taskId: 'c', row: 7, from: 3, to: 4 },
    ]);
  });

  it('R5: an explicit star applies to every selected task that does not have it yet', () => {
    const tasks = [
      { id: 'a', stars: 3 as const, category: 'routine' as const },
      { id: null, stars: null, category: null },
      { id: 'c', stars: 4 as const, category: 'indicator' as const },
    ];
    expect(starChanges(tasks, 4)).toEqual([
      { taskId: 'a', from: 3, to: 4 },
      { taskId: null, from: null, to: 4 },
    ]);
  });
});
