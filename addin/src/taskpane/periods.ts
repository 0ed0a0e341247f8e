// The periods the pane's 督检汇总 offers (R21: quarterly and monthly round-ups), built with the
// calendar helpers of shared/dates.ts. A round-up is made after its period ends (R15: W+n), so the
// default is the most recent period that has ended, not the one today falls in.
import { addDays, monthOf, quarterOf, startOfMonth } from '../../../shared/dates.js';
import { defaultRoundupPeriod } from '../../../shared/rules/periods.js';
import { periodName } from '../../../shared/documents/content.js';

export interface PeriodOption {
  /** As GET /roundup takes it: 2026-Q1 or 2026-03. */
  period: string;
  /** 2026年第一季度, 2026年3月 (shared periodName). */
  label: string;
}

/** 2026年第一季度, 2026年3月: the wording of the prompts, the unit's page and the documents. */
const label = periodName;

/** The last day of the month before `d`'s month. */
function endOfPreviousMonth(d: string): string {
  return addDays(startOfMonth(d), -1);
}

/**
 * The round-up periods to pick from, most recent first: the quarters and months that have ended by
 * `today` within the ledger's year (or, in the ledger's year itself, up to today's period), and the
 * default — the quarter when the month just ended closes a quarter, else that month.
 */
export function roundupPeriods(
  today: string,
  ledgerYear: number,
): { options: PeriodOption[]; chosen: string } {
  const options: PeriodOption[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    options.push({ period: p, label: label(p) });
  };
  // From today's own period (a look at the running one) back through the ledger's year.
  const lastDay = today.slice(0, 4) > String(ledgerYear) ? `${ledgerYear}-12-31` : today;
  for (let d = lastDay; d.slice(0, 4) === String(ledgerYear); d = endOfPreviousMonth(d)) {
    add(quarterOf(d));
    add(monthOf(d));
  }
  // The same default GET /roundup takes when no period is named (shared).
  const chosen = defaultRoundupPeriod(today);
  if (!seen.has(chosen)) options.unshift({ period: chosen, label: label(chosen) });
  return { options, chosen };
}
