// The dev host's timers: a scheduled time that passed while the machine slept is run
// late with isPastDue true (as the Functions host reports it), once; on time, isPastDue is false.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InvocationContext, Timer } from '@azure/functions';
import { startDevHost } from '../../functions/devhost.js';
import type { FunctionEntry } from '../../functions/registry.js';

// The clock is pinned (Date only: the host's server and croner's own timeouts stay real), so no test
// depends on the hour it runs at: noon UTC on Monday 16 March 2026, the next midnight 12 hours ahead.
const NOON = new Date('2026-03-16T12:00:00Z');

describe('dev host timers', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOON);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('R22: a laptop asleep through 00:00 UTC runs the daily timer when it notices, with isPastDue, and only once', async () => {
    const calls: boolean[] = [];
    const fns: FunctionEntry[] = [
      {
        name: 'sleepy',
        kind: 'timer',
        schedule: '0 0 0 * * *',
        handler: async (timer: Timer, _ctx: InvocationContext) => void calls.push(timer.isPastDue),
      },
    ];
    const logs: string[] = [];
    const host = await startDevHost({ port: 0, functions: fns, log: (l) => logs.push(l), env: {} });
    try {
      expect(await host.catchUpMissed(NOON)).toEqual([]);
      // Two days later (the machine slept): the missed midnight is run now, flagged as past due.
      const later = new Date(NOON.getTime() + 2 * 86_400_000);
      expect(await host.catchUpMissed(later)).toEqual(['sleepy']);
      expect(calls).toEqual([true]);
      expect(logs.join('\n')).toContain('isPastDue');
      // Noticed again at the same moment: nothing more (the next midnight is still ahead).
      expect(await host.catchUpMissed(later)).toEqual([]);
      expect(calls).toEqual([true]);
      await host.fireTimer('sleepy');
      expect(calls).toEqual([true, false]);
    } finally {
      await host.close();
    }
  });
});
