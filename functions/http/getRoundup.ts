// GET /api/roundup?ledgerId=…[&period=2026-Q1|2026-03|2026-W09|2026][&asOf=YYYY-MM-DD] — the round-up
// report (督检汇总, R19–R21) of a period, as shared roundupReport makes it.
import { z } from 'zod';
import { IsoDateSchema } from '../../shared/model.js';
import { chinaToday, periodRange } from '../../shared/dates.js';
import { effectiveStars } from '../../shared/rules/stars.js';
import { roundupReport } from '../../shared/rules/roundup.js';
import { defaultRoundupPeriod } from '../../shared/rules/periods.js';
import { latestReported } from '../../shared/rules/progress.js';
import { ApiError } from '../errors.js';
import { allUnitEvents, getLedger, listFeedback, listReminders, listTasks } from '../storage/index.js';
import { api } from './adapter.js';
import { rulesContext } from './common.js';

export const Query = z.object({
  ledgerId: z.string().trim().min(1, '请提供 ledgerId').max(200),
  period: z
    .string()
    .trim()
    .refine((p) => periodRange(p) !== null, '汇总周期应为 2026-Q1、2026-03、2026-W09 或 2026')
    .optional(),
  asOf: IsoDateSchema.optional(),
});

export const getRoundup = api({}, async (call) => {
  const q = call.query(Query);
  const asOf = q.asOf ?? chinaToday(call.now);
  // No period named: the most recent one ended (shared, as the pane preselects it).
  const period = q.period ?? defaultRoundupPeriod(asOf);
  const storage = await call.storage();
  if (!(await getLedger(storage, q.ledgerId)))
    throw new ApiError(404, 'ledger_not_found', `台账 ${q.ledgerId} 尚未同步或不存在`);
  const [{ settings, calendar }, tasks, reminders, feedback, events] = await Promise.all([
    rulesContext(storage),
    listTasks(storage, q.ledgerId),
    listReminders(storage, q.ledgerId),
    listFeedback(storage, q.ledgerId),
    allUnitEvents(storage),
  ]);
  const reported = latestReported(feedback, asOf);
  const report = roundupReport({
    period,
    units: [...new Set(tasks.flatMap((t) => t.task.leadUnits))],
    tasks: tasks.map((t) => ({
      id: t.task.id,
      no: t.task.no,
      title: t.task.title,
      leadUnit: t.task.leadUnit,
      leadUnits: t.task.leadUnits,
      stars: effectiveStars({ stars: t.stars, category: t.task.category }),
      closed: t.closed,
      deadline: t.task.deadline,
      milestones: t.task.milestones,
      target: t.task.target,
      reported: reported.get(t.task.id) ?? null,
    })),
    reminders,
    feedback,
    events,
    asOf,
    settings,
    calendar,
  });
  return { body: report };
});
