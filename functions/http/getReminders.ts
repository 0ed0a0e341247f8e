// The reminders due on a date (R15, R18; shared
// remindersDueOn), each with its idempotency key (R17) and whether it is already in the outbox, and
// the open tasks that cannot be reminded with the reason (`unscheduled`, shared schedulableTasks).
import { z } from 'zod';
import { IsoDateSchema } from '../../shared/model.js';
import { reminderKey } from '../../shared/rules/schedule.js';
import { ledgerNotFound } from '../errors.js';
import { listLedgers, listReminders, listTasks } from '../storage/index.js';
import { dueReminders } from '../supervision.js';
import { rulesContext } from '../services/rules.js';
import type { ApiRun } from './adapter.js';
import { LedgerIdSchema } from './common.js';
import { httpFunction } from './route.js';

export const Query = z.object({
  on: IsoDateSchema.optional(),
  ledgerId: LedgerIdSchema.optional(),
});

const getReminders: ApiRun = async (call) => {
  const q = call.query(Query);
  const on = q.on ?? call.today;
  const storage = await call.storage();
  const ledgers = (await listLedgers(storage)).filter((l) => !q.ledgerId || l.ledgerId === q.ledgerId);
  if (q.ledgerId && ledgers.length === 0) throw ledgerNotFound(q.ledgerId);
  const { settings, calendar } = await rulesContext(storage);
  const out = [];
  const unscheduled = [];
  for (const l of ledgers) {
    const [tasks, queued] = await Promise.all([
      listTasks(storage, l.ledgerId),
      listReminders(storage, l.ledgerId),
    ]);
    const queuedKeys = new Set(queued.map((r) => reminderKey(l.ledgerId, r)));
    const titles = new Map(tasks.map((t) => [t.task.id, t.task.title]));
    const plan = dueReminders(tasks, on, calendar, settings);
    unscheduled.push(...plan.unscheduled.map((u) => ({ ledgerId: l.ledgerId, ...u })));
    for (const r of plan.reminders) {
      const key = reminderKey(l.ledgerId, r);
      out.push({
        ...r,
        ledgerId: l.ledgerId,
        taskTitle: titles.get(r.taskId) ?? '',
        key,
        queued: queuedKeys.has(key),
      });
    }
  }
  const workingDay = calendar.isWorkingDay(on);
  // R16: said whenever a working day here was counted Mon–Fri for want of the year's holiday data.
  return { body: { on, workingDay, reminders: out, unscheduled, calendarNotice: calendar.fallbackNotice() } };
};

export default httpFunction('reminders', {
  route: 'reminders',
  query: { GET: Query },
  methods: { GET: getReminders },
});
