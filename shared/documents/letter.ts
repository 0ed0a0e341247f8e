// The letters that follow a card (友政办发〔2023〕1号 二（二）, R8, R11, R14): a yellow card →
// 《重点工作督办提示函》 to the lead unit; an orange card → 《重点工作督办预警通知书》 to the lead unit and the
// responsible units, with the rectification deadline (限期整改). A red card has no letter of the office:
// its follow-up (通报批评 by the county government office, R12) is tracked on the card's checklist.
import type { CardColor, Deadline, DocKind, InterviewEvent, IsoDate, LedgerTask } from '../model.js';
import type { Settings } from '../settings.js';
import type { WorkCalendar } from '../calendar.js';
import { DOC_KIND_NAMES, docKindForColor } from '../rules/docNumber.js';
import { rectificationDeadline } from '../rules/cards.js';
import {
  NOTICE_CITATION,
  OFFICE_NAME,
  chineseDate,
  formatFigure,
  periodName,
  safeFileName,
  type Block,
  type DocumentContent,
} from './content.js';

/** The card as the letter needs it (a stored card record fits). */
export interface LetterCard {
  id: string;
  unit: string;
  color: CardColor;
  reason: string;
  taskIds: string[];
  date: IsoDate;
  docNo: string | null;
  rectifyBy?: IsoDate | null;
  note?: string | null;
}

/**
 * A fact behind the card that the program computed (R5–R10), with its figures, as the letter states it:
 * a prompt not answered (which prompt, sent when, due when), an indicator behind its pro-rata target,
 * a milestone missed.
 */
export type LetterFact =
  | {
      kind: 'feedback';
      taskId: string;
      /** The prompt's period, e.g. 2026-Q1. */
      period: string;
      sentOn: IsoDate;
      /** The channels that delivered it, as the letter names them (短信, 邮件, 企业微信, 钉钉). */
      channels?: string[];
      feedbackDue: IsoDate;
      /** When the feedback came, if late; null when it never came. */
      receivedOn: IsoDate | null;
    }
  | {
      kind: 'indicator';
      taskId: string;
      checkpoint: IsoDate;
      reported: number;
      expected: number;
      target: number | null;
      /** The target's unit (个, 万元, %). */
      unit: string | null;
      /** A level to hold (参保率 95%): `expected` is the target itself, not a pro-rata share of it. */
      level?: boolean;
    }
  | { kind: 'milestone'; taskId: string; text: string; date: IsoDate | null }
  /** The task's completion date (完成时限) passed and it is not closed (R10). */
  | { kind: 'deadline'; taskId: string; date: IsoDate }
  /** An R1 problem of the task's ledger row (台账清单不规范, R9), at its row and column. */
  | { kind: 'ledger-problem'; taskId: string; row: number; column: string | null; message: string };

/** The most facts a letter states one by one; the rest are counted (a letter stays a letter, R8). */
export const LETTER_FACTS_SHOWN = 12;

/** A cited task as the ledger has it. */
export interface LetterTask {
  id: string;
  no: string | null;
  title: string;
  leadUnit: string | null;
  supportUnits: string[];
  deadline: Deadline;
}

/** A ledger task as the letter cites it (only what the letter shows, so a kept letter stays small). */
export function letterTask(t: LedgerTask & { id: string }): LetterTask {
  return {
    id: t.id,
    no: t.no,
    title: t.title,
    leadUnit: t.leadUnit,
    supportUnits: t.supportUnits,
    deadline: t.deadline,
  };
}

export interface LetterInput {
  card: LetterCard;
  /** The ledger's tasks (at least those the card cites); a cited task missing here is still listed, as missing. */
  tasks: LetterTask[];
  /** Interviews recorded against the card (orange, R11), oldest first. */
  interviews?: InterviewEvent[];
  settings: Settings;
  calendar: WorkCalendar;
  issuer?: string;
  /** The computed facts behind the card, stated with their figures (none: the letter names the reason only). */
  facts?: LetterFact[];
}

/** Why a card has no letter, in words for the clerk; null when it has one. */
export function noLetterReason(color: CardColor): string | null {
  return docKindForColor(color)
    ? null
    : '红牌不发提示函或预警通知书：按通知要求，由牵头领导在县政府常务会议上作情况说明、县政府办公室全县通报批评并以专题报告报县委（R12），请在该红牌的后续事项清单中办理';
}

/** The card's reason as the letter words it (the notice's own phrases). */
const REASON_WORDING: Record<string, string> = {
  贯彻落实不力: '贯彻落实不力',
  工作不到位: '工作不到位',
  上报材料不及时: '上报材料不及时、未按规定时限报送工作进展',
  报送材料质量不高: '报送材料质量不高',
  台账清单不规范: '制定台账清单不规范',
  工作进展缓慢: '推进落实不力、工作进展缓慢',
};

export function reasonWording(reason: string): string {
  return REASON_WORDING[reason] ?? reason;
}

/** The cited tasks in the card's order; a task the ledger no longer has is listed as such, never dropped. */
export function citedTasks(card: LetterCard, tasks: LetterTask[]): (LetterTask & { missing: boolean })[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  return [...new Set(card.taskIds)].map((id) => {
    const t = byId.get(id);
    return t
      ? { ...t, missing: false }
      : {
          id,
          no: null,
          title: `（台账中已无此任务，督办编号 ${id}）`,
          leadUnit: null,
          supportUnits: [],
          deadline: { text: '', date: null, recurrence: null },
          missing: true,
        };
  });
}

/** The responsible units (责任单位) of the cited tasks other than the lead unit, in order of first mention. */
export function responsibleUnits(card: LetterCard, tasks: LetterTask[]): string[] {
  const out: string[] = [];
  for (const t of citedTasks(card, tasks))
    for (const u of t.supportUnits) if (u !== card.unit && !out.includes(u)) out.push(u);
  return out;
}

/** R11: the rectification deadline of an orange card — the one recorded on it, else computed from its date. */
export function letterRectifyBy(card: LetterCard, calendar: WorkCalendar, settings: Settings): IsoDate {
  return card.rectifyBy ?? rectificationDeadline(card.date, calendar, settings);
}

function deadlineText(d: Deadline): string {
  if (d.text.trim()) return d.text.trim();
  return d.date ? chineseDate(d.date) : '—';
}

/** 提示函 (R8): the date the unit's written reply is due, settings.letters.replyWorkingDays after the letter. */
export function replyBy(card: LetterCard, calendar: WorkCalendar, settings: Settings): IsoDate {
  return calendar.addWorkingDays(card.date, settings.letters.replyWorkingDays);
}

/** How the unit replies, as the letter says it (paper with the seal and an electronic copy, per setting). */
export function replyFormText(settings: Settings): string {
  const to = settings.letters.electronicTo.trim();
  const electronic = `电子版${to ? `发送至${to}` : '同时报送'}`;
  return settings.letters.replyForm === 'paperAndElectronic'
    ? `书面材料须经单位主要负责人签字并加盖单位公章，${electronic}`
    : `以电子版报送${to ? `至${to}` : ''}`;
}

/** 联系人 and 联系电话 as the 附注 under the date, when the office set them. */
export function contactNote(settings: Settings): string | null {
  const { contactPerson, contactPhone } = settings.letters;
  const parts = [
    contactPerson.trim() ? `联系人：${contactPerson.trim()}` : '',
    contactPhone.trim() ? `联系电话：${contactPhone.trim()}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('，') : null;
}

/** The computed facts in the letter's words, each naming its task by the ledger's 序号. */
export function factSentences(card: LetterCard, facts: LetterFact[], tasks: LetterTask[]): string[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const ref = (id: string) => {
    const t = byId.get(id);
    return t ? `${t.no ? `第${t.no}项` : ''}“${t.title}”` : `督办编号${id}的任务`;
  };
  const asOf = chineseDate(card.date);
  const sentences = facts.slice(0, LETTER_FACTS_SHOWN).map((f) => {
    switch (f.kind) {
      case 'feedback': {
        const via = f.channels?.length ? `通过${f.channels.join('、')}` : '';
        return `${ref(f.taskId)}：县政府督办检查室${periodName(f.period)}工作提示已于${chineseDate(f.sentOn)}${via}送达你单位，要求于${chineseDate(f.feedbackDue)}前反馈进展，${f.receivedOn ? `你单位${chineseDate(f.receivedOn)}才反馈，已逾期` : `截至${asOf}未反馈`}`;
      }
      case 'indicator': {
        const u = f.unit ?? '';
        const figure = (n: number) => `${formatFigure(n, u)}${u}`;
        const share =
          f.expected > 0
            ? `，为${f.level ? '目标值' : '应完成值'}的${Number(((f.reported / f.expected) * 100).toFixed(1))}%`
            : '';
        return f.level
          ? `${ref(f.taskId)}：目标为${f.target !== null ? figure(f.target) : figure(f.expected)}，截至${chineseDate(f.checkpoint)}实报${figure(f.reported)}${share}`
          : `${ref(f.taskId)}：全年目标${f.target !== null ? figure(f.target) : '（未填）'}，截至${chineseDate(f.checkpoint)}按序时进度应完成${figure(f.expected)}，实报${figure(f.reported)}${share}`;
      }
      case 'milestone':
        return `${ref(f.taskId)}：节点“${f.text}”${f.date ? `应于${chineseDate(f.date)}完成` : ''}，截至${asOf}未完成`;
      case 'deadline':
        return `${ref(f.taskId)}：完成时限为${chineseDate(f.date)}，截至${asOf}仍未完成销号`;
      case 'ledger-problem': {
        // The reader's messages often name the cell already (第20行E列…): say it once.
        const at = `第${f.row}行${f.column ? `${f.column}列` : ''}`;
        const said = f.message.replace(/[。；;，,\s]+$/, '');
        return `${ref(f.taskId)}：台账${said.startsWith(`第${f.row}行`) ? said : `${at}${said}`}`;
      }
    }
  });
  const rest = facts.length - sentences.length;
  if (rest > 0) sentences.push(`另有${rest}项同类情况，详见督办台账`);
  return sentences;
}

/** The letter for a yellow or orange card; throws (with the clerk's message) for red or an unnumbered card. */
export function cardLetter(input: LetterInput): DocumentContent {
  const { card, settings, calendar } = input;
  const kind: DocKind | null = docKindForColor(card.color);
  if (!kind) throw new Error(noLetterReason(card.color) as string);
  if (!card.docNo) throw new Error(`该牌没有文号，无法生成${DOC_KIND_NAMES[kind]}（R14）`);
  const issuer = input.issuer ?? OFFICE_NAME;
  const tasks = citedTasks(card, input.tasks);
  const dateText = chineseDate(card.date);
  const blocks: Block[] = [];

  if (kind === 'tishihan') {
    blocks.push({
      kind: 'paragraph',
      text: `根据${NOTICE_CITATION}关于“亮牌”管理的规定，经督查，你单位牵头的重点工作存在${reasonWording(card.reason)}的情况，现对你单位“亮黄牌”，并下发本提示函。`,
    });
  } else {
    const support = responsibleUnits(card, input.tasks);
    blocks.push({
      kind: 'paragraph',
      text: `根据${NOTICE_CITATION}关于“亮牌”管理的规定，经督查，${card.unit}牵头的重点工作存在${reasonWording(card.reason)}的情况，现对牵头单位${card.unit}“亮橙牌”，向牵头单位${support.length ? `和相关责任单位（${support.join('、')}）` : ''}发出本预警通知书，要求限期整改。`,
    });
    const interviews = input.interviews ?? [];
    blocks.push({
      kind: 'paragraph',
      text: interviews.length
        ? interviews
            .map(
              (i) =>
                `${chineseDate(i.date)}，${i.leader ? `县政府分管领导${i.leader}` : '县政府分管领导'}约谈了${i.interviewee ?? `${card.unit}主要负责人`}，约谈记录已报县委、县政府。`,
            )
            .join('')
        : `按照规定，县政府分管领导将约谈${card.unit}主要负责人，约谈记录报县委、县政府。`,
    });
  }

  const facts = factSentences(card, input.facts ?? [], input.tasks);
  if (facts.length) blocks.push({ kind: 'paragraph', text: `经核实：${facts.join('；')}。` });
  if (card.note?.trim()) blocks.push({ kind: 'paragraph', text: `具体问题：${card.note.trim()}` });

  if (tasks.length) {
    blocks.push({
      kind: 'paragraph',
      text: kind === 'tishihan' ? '涉及的重点工作任务如下：' : '涉及的重点工作任务及责任单位如下：',
    });
    blocks.push(
      kind === 'tishihan'
        ? {
            kind: 'table',
            columns: [
              { title: '序号', width: 8, align: 'center', nowrap: true },
              { title: '台账序号', width: 10, align: 'center', nowrap: true },
              { title: '工作任务', width: 54 },
              { title: '完成时限', width: 22, align: 'center', nowrap: true },
            ],
            rows: tasks.map((t, i) => [String(i + 1), t.no ?? '—', t.title, deadlineText(t.deadline)]),
          }
        : {
            kind: 'table',
            columns: [
              { title: '序号', width: 7, align: 'center', nowrap: true },
              { title: '台账序号', width: 9, align: 'center', nowrap: true },
              { title: '工作任务', width: 40 },
              { title: '责任单位', width: 22 },
              { title: '完成时限', width: 18, align: 'center', nowrap: true },
            ],
            rows: tasks.map((t, i) => [
              String(i + 1),
              t.no ?? '—',
              t.title,
              t.supportUnits.length ? t.supportUnits.join('、') : '—',
              deadlineText(t.deadline),
            ]),
          },
    );
  } else {
    blocks.push({ kind: 'paragraph', text: '本次亮牌未列明具体任务。' });
  }

  if (kind === 'tishihan') {
    blocks.push({
      kind: 'paragraph',
      text: `请你单位高度重视，认真查找问题原因，切实加以改进，并于${chineseDate(replyBy(card, calendar, settings))}前将改进落实情况书面报送县政府督办检查室（${replyFormText(settings)}）。本次黄牌记入你单位年度排名（每张黄牌扣${settings.ranking.yellowPenalty}分）。`,
    });
  } else {
    const rectifyBy = letterRectifyBy(card, calendar, settings);
    blocks.push({
      kind: 'paragraph',
      text: `请牵头单位会同相关责任单位于${chineseDate(rectifyBy)}前（${settings.rectificationWorkingDays}个工作日内）完成整改，并将整改情况书面报送县政府督办检查室（${replyFormText(settings)}）。逾期未报送整改情况的，县政府督办检查室将逐日督促，直至整改到位。`,
    });
    blocks.push({
      kind: 'paragraph',
      text: `本次橙牌记入牵头单位年度排名（每张橙牌扣${settings.ranking.orangePenalty}分）。一年内被约谈两次以上的牵头单位将被“亮红牌”，由牵头领导在县政府常务会议上进行情况说明，牵头部门主要负责人在县政府常务会议上进行检讨发言，并由县政府办公室给予全县通报批评。`,
    });
  }
  blocks.push({ kind: 'paragraph', text: kind === 'tishihan' ? '特此函告。' : '特此通知。' });

  const addressees = kind === 'tishihan' ? [card.unit] : [card.unit, ...responsibleUnits(card, input.tasks)];
  return {
    kind,
    fileName: `${safeFileName(card.docNo)}.docx`,
    issuer,
    docNo: card.docNo,
    title: DOC_KIND_NAMES[kind],
    addressees,
    blocks,
    signature: { issuer, date: card.date, dateText },
    imprint: { issuer, dateText },
    note: contactNote(settings),
    cc: kind === 'yujing' ? settings.letters.yujingCc : [],
  };
}
