// R18 at delivery: a queued prompt whose task was closed or removed meanwhile is not sent.
import { describe, expect, it } from 'vitest';
import { promptCancellation } from '../../../shared/rules/promptDue.js';

describe('promptCancellation (R18)', () => {
  it('R18: closed (R3) or removed → the reason; open → null; unknown to the office → null (sent)', () => {
    expect(promptCancellation({ closed: true, removed: false })).toContain('已销号');
    expect(promptCancellation({ closed: false, removed: true })).toContain('已从台账移除');
    expect(promptCancellation({ closed: false, removed: false })).toBeNull();
    expect(promptCancellation(null)).toBeNull();
  });
});
