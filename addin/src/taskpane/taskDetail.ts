// 节点与指标 in the pane's 台账 view: what a 5★ task's milestones (R7) and a 4★ task's target kind (R6)
// read as, in the clerk's words. Pure: the pane renders these lines and posts the clerk's changes.
import type { IsoDate, Milestone, Target } from '../../../shared/model.js';
import { milestoneState } from '../../../shared/rules/milestones.js';
import { targetKindOf, type TargetKind } from '../../../shared/rules/progress.js';
import type { Settings } from '../../../shared/settings.js';

const SOURCE_NAME: Record<NonNullable<Milestone['doneSource']>, string> = {
  ledger: '台账标注',
  feedback: '单位反馈',
  office: '督查室勾选',
};

export interface MilestoneLine {
  text: string;
  /** 3月31日前 style date of the milestone, or 未定期限. */
  when: string;
  done: boolean;
  /** 已完成（2026-03-28，王督办，督查室勾选） / 已过期限未完成 / 未到期 / 未定期限. */
  state: string;
  /** A milestone the ledger itself marks done: the backend refuses to untick it (edit the ledger). */
  locked: boolean;
}

/** R7: one milestone as the pane lists it on `today`: its date, its state and who said it is done. */
export function milestoneLine(m: Milestone, today: IsoDate): MilestoneLine {
  const state = milestoneState(m, today);
  let text: string;
  if (state === 'done' || m.done === true) {
    const how = [m.doneOn ?? '', m.doneBy ?? '', m.doneSource ? SOURCE_NAME[m.doneSource] : ''].filter(
      Boolean,
    );
    text = `已完成${how.length ? `（${how.join('，')}）` : ''}`;
  } else if (state === 'slipped') text = '已过期限未完成';
  else if (state === 'pending') text = '未到期';
  else text = '未定期限';
  return {
    text: m.text,
    when: m.date ?? '未定期限',
    done: m.done === true,
    state: text,
    locked: m.done === true && m.doneSource === 'ledger',
  };
}

export const TARGET_KIND_NAME: Record<TargetKind, string> = {
  cumulative: '累计值（按进度折算）',
  level: '水平值（全年保持）',
};

/**
 * R6: the kind of a task's target in force and where it comes from: the clerk's setting, the ledger's
 * own 指标类型, the target's unit (%, ‰ …: a level) or the office's default setting.
 */
export function targetKindLine(
  target: Target,
  clerkSet: TargetKind | null | undefined,
  settings: Settings,
): { kind: TargetKind; text: string } {
  const { kind, source } = targetKindOf(target, settings);
  const from = clerkSet
    ? '督查室设定'
    : source === 'task'
      ? '台账写明'
      : source === 'unit'
        ? `按计量单位“${target.unit}”`
        : '按设置默认';
  return { kind, text: `现行：${TARGET_KIND_NAME[kind]}，来源：${from}` };
}
