// The round-up report (督检汇总, R19–R21) of a ledger and a period, as shared roundupReport makes it.
// GET /api/roundup answers it as JSON and GET /api/roundup/document renders the very same report as
// .docx, so the report and the pane never disagree.
import { chinaToday } from '../../shared/dates.js';
import type { IsoDate } from '../../shared/model.js';
import { effectiveStars } from '../../shared/rules/stars.js';
import { roundupReport, type RoundupReport } from '../../shared/rules/roundup.js';
import { defaultRoundupPeriod } from '../../shared/rules/periods.js';
import { latestReported } from '../../shared/rules/progress.js';
import type { Settings } from '../../shared/settings.js';
import { ledgerNotFound } from '../errors.js';
import {
  allUnitEvents,
  getLedger,
  listFeedback,
  listReminders,
  listTasks,
  type Storage,
} from '../storage/index.js';
import { rulesContext } from './rules.js';

export async function ledgerRoundup(
  storage: Storage,
  request: { ledgerId: string; period?: string; asOf?: IsoDate },
  now: Date,
): Promise<{ report: RoundupReport; settings: Settings }> {
  const asOf = request.asOf ?? chinaToday(now);
  // No period named: the most recent one ended (shared, as the pane preselects it).
  const period = request.period ?? defaultRoundupPeriod(asOf);
  if (!(await getLedger(storage, request.ledgerId))) throw ledgerNotFound(request.ledgerId);
  const [{ settings, calendar }, tasks, reminders, feedback, events] = await Promise.all([
    rulesContext(storage),
    listTasks(storage, request.ledgerId),
    listReminders(storage, request.ledgerId),
    listFeedback(storage, request.ledgerId),
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
  return { report, settings };
}
