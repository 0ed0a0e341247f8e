// Issue 2 speed: `duban ledger` on a 10,000-row ledger against a bare exceljs read of the same file,
// and the reminder plan for 10,000 tasks over a year.
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCalendar } from '../shared/calendar.js';
import { readLedger } from '../shared/ledger/index.js';
import { reminderSchedule } from '../shared/rules/schedule.js';
import { DEFAULT_SETTINGS } from '../shared/settings.js';
import { pickLedgerSheet, readWorkbookSheets } from '../functions/xlsx.js';
import { scheduleTasksOf } from '../functions/cli/plan.js';
import { writeLedger } from './generate.js';
import { median, time, type BenchResult } from './measure.js';

export async function benchLedger(rows = 10_000, runs = 5): Promise<BenchResult[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'duban-bench-')), 'ledger-10k.xlsx');
  await writeLedger(file, rows);

  const bare: number[] = [];
  const ours: number[] = [];
  let tasks = 0;
  let rowCount = 0;
  for (let i = 0; i < runs; i++) {
    // alternate the two so that machine noise falls on both alike
    bare.push(
      await time(async () => {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(file);
        let n = 0;
        wb.worksheets[0]!.eachRow({ includeEmpty: true }, (row) => {
          row.eachCell({ includeEmpty: true }, (c) => {
            if (c.value !== undefined) n++;
          });
        });
        return n;
      }),
    );
    ours.push(
      await time(async () => {
        const sheet = pickLedgerSheet(await readWorkbookSheets(file));
        const result = readLedger(sheet.values);
        tasks = result.tasks.length;
        rowCount = result.rows.length;
      }),
    );
  }
  const sheet = pickLedgerSheet(await readWorkbookSheets(file));
  const ledger = readLedger(sheet.values);
  const calendar = makeCalendar(DEFAULT_SETTINGS);
  const input = scheduleTasksOf(ledger.tasks);
  const plan: number[] = [];
  let reminders = 0;
  for (let i = 0; i < runs; i++) {
    plan.push(
      await time(
        async () =>
          (reminders = reminderSchedule(
            input.tasks,
            '2026-01-01',
            '2026-12-31',
            calendar,
            DEFAULT_SETTINGS,
          ).length),
      ),
    );
  }
  const readOnly: number[] = [];
  for (let i = 0; i < runs; i++) readOnly.push(await time(async () => readLedger(sheet.values)));
  return [
    { name: `bare exceljs read of a ${rows}-row ledger (baseline)`, value: median(bare), unit: 'ms' },
    {
      name: `duban ledger on the same file (${rowCount} rows, ${tasks} tasks)`,
      value: median(ours),
      unit: 'ms',
      ratio: median(ours) / median(bare),
      goal: '≤ 1.3×',
    },
    {
      name: 'readLedger alone (the domain part)',
      value: median(readOnly),
      unit: 'ms',
      ratio: median(readOnly) / median(bare),
    },
    {
      name: `reminder plan for ${input.tasks.length} tasks over 2026 (${reminders} reminders)`,
      value: median(plan),
      unit: 'ms',
      ratio: median(plan) / median(bare),
      goal: 'well under 1 s',
    },
  ];
}
