// 赋星 (R5): by kind or explicit, written into the star column of the selected tasks and recorded.
import { starChanges } from '../../../shared/rules/stars.js';
import type { Stars } from '../../../shared/model.js';
import type { CellWrite } from '../excel/workbook.js';
import { hiddenByMerge, LedgerError, starText } from '../ledgerView.js';
import { ledgerIdFor } from '../prefs.js';
import { ledgerCommand, selectedWithIds, writeRecorded } from './ledgerRun.js';
import { rowLabel, type CommandEnv, type Outcome } from './outcome.js';

export function setStars(env: CommandEnv, target: Stars | 'byKind'): Promise<Outcome> {
  return ledgerCommand(env, { records: true }, async ({ context, read, view, by }) => {
    const selected = selectedWithIds(view);
    const starColumn = view.column('stars');
    if (starColumn === null) throw new LedgerError('台账中没有“星级”列，请先在表头添加“星级”列。');
    const changes = starChanges(
      selected.map((t) => ({ id: t.id, row: t.row, stars: t.stars, category: t.category })),
      target,
    );
    // A star cell merged over sibling rows can hold one value only (Excel refuses the hidden cells):
    // refused before the backend records a star the ledger cannot show.
    const merged = changes
      .map((c) => ({ row: c.row as number, area: hiddenByMerge(read.merges, c.row as number, starColumn) }))
      .filter((c) => c.area !== null);
    if (merged.length > 0) {
      throw new LedgerError(
        `${merged.map((c) => `第${c.row}行`).join('、')}的星级单元格在合并单元格 ${merged[0]!.area} 之内，无法单独赋星：请先取消该星级单元格的合并，再赋星。后台未作任何记录。`,
      );
    }
    const unknownKind = target === 'byKind' ? selected.filter((t) => t.category === null) : [];
    const notes = unknownKind.map((t) => `${rowLabel(t)}工作类别不明，未赋星`);
    if (changes.length === 0) {
      return {
        level: 'info' as const,
        text: `所选 ${selected.length} 项任务的星级无需变更。`,
        details: notes,
      };
    }
    await env.api().setStars({
      ledgerId: ledgerIdFor(env.prefs(), view.ledger.year),
      taskIds: changes.map((c) => c.taskId as string),
      stars: target,
      by,
    });
    const cells: CellWrite[] = changes.map((c) => ({
      row: c.row as number,
      column: starColumn,
      value: starText(c.to),
    }));
    await writeRecorded(
      context,
      env,
      read.sheetName,
      { cells, fills: [] },
      `${changes.length} 项任务的星级（${changes.map((c) => `第${c.row}行 ${starText(c.to)}`).join('、')}）`,
    );
    return {
      level: 'success' as const,
      text: `已为 ${changes.length} 项任务赋星${target === 'byKind' ? '（按类别）' : `（${starText(target)}）`}。`,
      details: [
        ...changes.map((c) => `第${c.row}行 ${c.from ? starText(c.from) : '未定'} → ${starText(c.to)}`),
        ...notes,
      ],
    };
  });
}
