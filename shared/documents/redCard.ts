// R12: what follows a red card besides the meetings — the county-wide 通报批评 in the name of 县政府办公室
// and the 专题报告 to 县委 — as drafts built from the unit's history: both (or more) interviews, the
// yellow and orange cards with their letters' numbers, the tasks they cited and where those stand.
// The 县政府办公室 numbers its own documents: the draft leaves the number blank unless one is given.
import type { CardColor, InterviewEvent, IsoDate } from '../model.js';
import type { Settings } from '../settings.js';
import {
  NOTICE_CITATION,
  chineseDate,
  chineseNumber,
  safeFileName,
  type Block,
  type DocumentContent,
} from './content.js';
import { citedTasks, contactNote, reasonWording, type LetterCard, type LetterTask } from './letter.js';

export type RedDocumentKind = 'tongbao' | 'zhuanti';

export const RED_DOCUMENT_NAMES: Record<RedDocumentKind, string> = {
  tongbao: '通报批评',
  zhuanti: '专题报告',
};

/** A card of the unit's year as the history holds it. */
export interface RedHistoryCard {
  id: string;
  color: CardColor;
  date: IsoDate;
  reason: string;
  docNo: string | null;
  taskIds: string[];
  rectifyBy?: IsoDate | null;
  /** When the unit reported its rectification (orange), if it did. */
  rectifiedOn?: IsoDate | null;
}

/** A cited task and where it stands today. */
export interface RedTask extends LetterTask {
  closed: boolean;
  /** The latest feedback, e.g. 已完成60%（2026年5月8日反馈）; null when none. */
  latest?: string | null;
}

export interface RedDocumentInput {
  kind: RedDocumentKind;
  /** The red card. */
  card: LetterCard;
  /** The unit's cards of the window (yellow, orange, the red one), any order. */
  cards: RedHistoryCard[];
  /** The interviews that made the unit red, any order. */
  interviews: InterviewEvent[];
  tasks: RedTask[];
  settings: Settings;
  /** The number the 县政府办公室 gives it; blank in the draft when absent. */
  number?: number | null;
  /** 成文日期; default the red card's date. */
  date?: IsoDate;
}

const COLOR_NAME: Record<CardColor, string> = { yellow: '黄牌', orange: '橙牌', red: '红牌' };
const byDate = <T extends { date: IsoDate }>(a: T, b: T) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/** The history in date order, one sentence each: cards with their letters, interviews with who and whom. */
function chronology(input: RedDocumentInput): string[] {
  const { card } = input;
  const events: { date: IsoDate; text: string }[] = [
    ...input.cards
      .filter((c) => c.color !== 'red')
      .map((c) => ({
        date: c.date,
        text: `${chineseDate(c.date)}，因${reasonWording(c.reason)}被亮${COLOR_NAME[c.color]}${c.docNo ? `，县政府督办检查室下发${c.color === 'yellow' ? '《重点工作督办提示函》' : '《重点工作督办预警通知书》'}（${c.docNo}）` : ''}${c.color === 'orange' && c.rectifyBy ? `，要求于${chineseDate(c.rectifyBy)}前完成整改${c.rectifiedOn ? `，${chineseDate(c.rectifiedOn)}报送整改情况` : '，逾期未报送整改情况'}` : ''}`,
      })),
    ...input.interviews.map((i) => ({
      date: i.date,
      text: `${chineseDate(i.date)}，${i.leader ? `县政府分管领导${i.leader}` : '县政府分管领导'}约谈${i.interviewee ?? `${card.unit}主要负责人`}${i.record?.trim() ? `（${i.record.trim()}）` : ''}`,
    })),
  ];
  return events.sort(byDate).map((e) => e.text);
}

function taskTable(tasks: RedTask[]): Block {
  return {
    kind: 'table',
    columns: [
      { title: '序号', width: 6, align: 'center', nowrap: true },
      { title: '台账序号', width: 8, align: 'center', nowrap: true },
      { title: '工作任务', width: 38 },
      { title: '完成时限', width: 16, align: 'center', nowrap: true },
      { title: '目前进展', width: 32 },
    ],
    rows: tasks.map((t, i) => [
      String(i + 1),
      t.no ?? '—',
      t.title,
      t.deadline.text.trim() || (t.deadline.date ? chineseDate(t.deadline.date) : '—'),
      t.closed ? '已销号' : (t.latest?.trim() ?? '') || '未反馈进展',
    ]),
  };
}

/** R12: the draft 通报批评 or 专题报告 of a red card. */
export function redCardDocument(input: RedDocumentInput): DocumentContent {
  const { card, settings, kind } = input;
  if (card.color !== 'red') throw new Error('只有红牌才生成通报批评和专题报告（R12）');
  const issuer = settings.letters.countyOffice;
  const date = input.date ?? card.date;
  const year = date.slice(0, 4);
  const prefix = kind === 'tongbao' ? settings.docPrefixes.tongbao : settings.docPrefixes.zhuanti;
  // A draft: the 县政府办公室 fills in its own number (a full-width blank keeps the line's shape).
  const docNo = `${prefix}〔${year}〕${input.number ?? '　　'}号`;
  const interviews = [...input.interviews].sort(byDate);
  const cited = citedTasks(card, input.tasks) as (RedTask & { missing: boolean })[];
  const tasks: RedTask[] = cited.map((t) => ({ ...t, closed: t.missing ? false : t.closed }));
  const open = tasks.filter((t) => !t.closed).length;
  const counts = (['yellow', 'orange'] as const)
    .map((c) => [c, input.cards.filter((x) => x.color === c).length] as const)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${COLOR_NAME[c]}${n}张`)
    .join('、');
  const history = chronology(input);
  const blocks: Block[] = [];
  const window = settings.redWindow === 'calendar' ? `${year}年` : '一年内';

  if (kind === 'tongbao') {
    blocks.push({
      kind: 'paragraph',
      text: `根据${NOTICE_CITATION}关于“亮牌”管理的规定，${window}${card.unit}牵头的重点工作先后被亮${counts || '牌'}，被县政府分管领导约谈${interviews.length}次，于${chineseDate(card.date)}被“亮红牌”。经县政府同意，现将有关情况通报如下：`,
    });
    blocks.push({ kind: 'heading', level: 1, text: '一、基本情况' });
    blocks.push(...history.map((t) => ({ kind: 'paragraph' as const, text: `${t}。` })));
    if (tasks.length) {
      blocks.push({
        kind: 'paragraph',
        text: `涉及的${tasks.length}项重点工作中，截至${chineseDate(date)}仍有${open}项未完成，具体如下：`,
      });
      blocks.push(taskTable(tasks));
    }
    blocks.push({ kind: 'heading', level: 1, text: '二、处理决定' });
    blocks.push({
      kind: 'paragraph',
      text: `${card.unit}对县委、县政府部署的重点工作贯彻落实不力，经督办、约谈后仍未有效整改，影响了全县重点工作整体推进。为严肃工作纪律，经县政府同意，决定对${card.unit}予以全县通报批评；由牵头领导在县政府常务会议上作情况说明，${card.unit}主要负责人在县政府常务会议上作检讨发言。`,
    });
    blocks.push({ kind: 'heading', level: 1, text: '三、有关要求' });
    blocks.push({
      kind: 'paragraph',
      text: `${card.unit}要深刻反思，举一反三，对照上述任务逐项制定整改措施，明确责任人和完成时限，整改情况按时书面报送县政府督办检查室，县政府督办检查室将跟踪督促整改到位。各单位要引以为戒，强化责任担当，确保各项重点工作按期保质完成。`,
    });
    blocks.push({ kind: 'paragraph', text: '特此通报。' });
  } else {
    blocks.push({
      kind: 'paragraph',
      text: `根据${NOTICE_CITATION}关于“亮牌”管理的规定，${card.unit}${window}被县政府分管领导约谈${interviews.length}次，于${chineseDate(card.date)}被“亮红牌”。现将有关情况专题报告如下：`,
    });
    blocks.push({ kind: 'heading', level: 1, text: '一、督办过程' });
    blocks.push(
      ...history.map((t, i) => ({ kind: 'paragraph' as const, text: `（${chineseNumber(i + 1)}）${t}。` })),
    );
    blocks.push({ kind: 'heading', level: 1, text: '二、任务推进情况' });
    blocks.push({
      kind: 'paragraph',
      text: tasks.length
        ? `亮牌涉及${tasks.length}项重点工作，截至${chineseDate(date)}已销号${tasks.length - open}项，仍有${open}项未完成：`
        : '本次亮牌未列明具体任务。',
    });
    if (tasks.length) blocks.push(taskTable(tasks));
    blocks.push({ kind: 'heading', level: 1, text: '三、存在的主要问题' });
    const reasons = [
      ...new Set(input.cards.filter((c) => c.color !== 'red').map((c) => reasonWording(c.reason))),
    ];
    blocks.push({
      kind: 'paragraph',
      text: `${card.unit}${reasons.length ? `主要存在${reasons.join('、')}等问题，` : ''}经提示、预警和约谈后仍未有效整改。`,
    });
    blocks.push({ kind: 'heading', level: 1, text: '四、处理情况及下步工作' });
    blocks.push({
      kind: 'paragraph',
      text: `县政府办公室已对${card.unit}予以全县通报批评，由牵头领导在县政府常务会议上作情况说明，${card.unit}主要负责人作检讨发言。下一步，县政府督办检查室将对上述未完成任务逐项跟踪督办，督促${card.unit}限期整改到位，整改情况及时向县委报告。`,
    });
    blocks.push({ kind: 'paragraph', text: '特此报告。' });
  }

  const title =
    kind === 'tongbao'
      ? `关于对${card.unit}予以通报批评的通报`
      : `关于${card.unit}被亮红牌有关情况的专题报告`;
  const dateText = chineseDate(date);
  return {
    kind,
    fileName: `${safeFileName(`${RED_DOCUMENT_NAMES[kind]}（${card.unit}，草稿）`)}.docx`,
    issuer,
    docNo,
    title,
    addressees: kind === 'tongbao' ? settings.letters.tongbaoTo : [settings.letters.zhuantiTo],
    blocks,
    signature: { issuer, date, dateText },
    imprint: { issuer, dateText },
    note: contactNote(settings),
    cc: settings.letters.redCc,
  };
}
