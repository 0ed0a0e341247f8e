// The dev host's timers: a scheduled time that passed while the machine slept is run
// late with isPastDue true (as the Functions host reports it), once; on time, isPastDue is false.
import { describe, expect, it } from 'vitest';
import type { InvocationContext, Timer } from '@azure/functions';
import { startDevHost } from '../../functions/devhost.js';
import type { FunctionEntry } from '../../functions/registry.js';

describe('dev host timers', () => {
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
      expect(await host.catchUpMissed(new Date())).toEqual([]);
      // Two days later (the machine slept): the missed midnight is run now, flagged as past due.
      const later = new Date(Date.now() + 2 * 86_400_000);
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
