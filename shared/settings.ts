// Every [default] of docs/rules.md is a setting here, with the rule's default; the office can change each.
import { z } from 'zod';
import { IsoDateSchema } from './model.js';

const HexColor = z.string().regex(/^#[0-9A-Fa-f]{6}$/, '颜色应为 #RRGGBB');

/** One year of the national holiday calendar (R16): days off and 调休 make-up working days. */
export const HolidayYearSchema = z.object({
  holidays: z.array(IsoDateSchema),
  workdays: z.array(IsoDateSchema),
  source: z.string().optional(),
});
export type HolidayYear = z.infer<typeof HolidayYearSchema>;

export const SettingsSchema = z.object({
  /** R4: the ledger's year when the title does not say it; null = the current year. */
  ledgerYear: z.number().int().min(2000).max(2100).nullable().default(null),
  /** R6: lagging = reported value below this share of the pro-rata target. */
  laggingThreshold: z.number().gt(0).max(1).default(0.8),
  /** R6: target units that are a level (a rate), judged against the target, not pro-rated over the year. */
  levelUnits: z.array(z.string().min(1)).default(['%', '‰', '个百分点']),
  /**
   * R6: the kind of a target whose kind is neither written in the ledger, set by the clerk, nor given by
   * its unit: cumulative (pro-rated over the year) or level (the target itself, from January).
   */
  targetKindDefault: z.enum(['cumulative', 'level']).default('cumulative'),
  /** R11: rectification deadline after an orange card, in working days. */
  rectificationWorkingDays: z.number().int().positive().default(10),
  /**
   * R12: "within one year" — the same calendar year, or a rolling window: one year back by the calendar
   * (the same date a year earlier + 1 day: 366 days across a 29 Feb) when rollingWindowDays is null
   * (default), else exactly that many days.
   */
  redWindow: z.enum(['calendar', 'rolling']).default('calendar'),
  rollingWindowDays: z.number().int().positive().nullable().default(null),
  /** R12: interviews within the window that make a unit red (「两次以上」 includes two). */
  redInterviewCount: z.number().int().min(1).default(2),
  /** R13: the colours of a unit's rows in the ledger. */
  cardColors: z
    .object({
      yellow: HexColor.default('#FFD966'),
      orange: HexColor.default('#F4B183'),
      red: HexColor.default('#FF7C80'),
    })
    .prefault({}),
  /** R14: document number prefixes, e.g. 友政督提〔2026〕7号. */
  docPrefixes: z
    .object({
      tishihan: z.string().min(1).default('友政督提'),
      yujing: z.string().min(1).default('友政督警'),
      /** R21: the 督检汇总报告's number, e.g. 友政督报〔2026〕1号. */
      roundup: z.string().min(1).default('友政督报'),
      /** R12: the county government office's 通报 (通报批评 after a red card). */
      tongbao: z.string().min(1).default('友政办通'),
      /** R12: the 专题报告 to 县委 after a red card. */
      zhuanti: z.string().min(1).default('友政督专'),
    })
    .prefault({}),
  /** What the letters tell a unit (R8, R11): the office's contact, how and by when to reply, who gets a copy. */
  letters: z
    .object({
      /** The office's contact person and phone, printed at the end of every letter (联系人、联系电话). */
      contactPerson: z.string().max(40).default(''),
      contactPhone: z.string().max(40).default(''),
      /** 提示函: the written reply is due this many working days after the letter's date. */
      replyWorkingDays: z.number().int().min(1).max(60).default(5),
      /** How to reply: paper with the unit's seal and an electronic copy, or only the electronic copy. */
      replyForm: z.enum(['paperAndElectronic', 'electronic']).default('paperAndElectronic'),
      /** Where the electronic copy goes (an e-mail address or the office's system), when set. */
      electronicTo: z.string().max(120).default(''),
      /** 抄送 of the 预警通知书, e.g. 县政府分管领导 (none by default). */
      yujingCc: z.array(z.string().min(1).max(60)).max(10).default([]),
      /** 抄送 of the 通报 and the 专题报告 (R12). */
      redCc: z.array(z.string().min(1).max(60)).max(10).default([]),
      /** 县政府办公室: the issuer of a red card's 通报批评 and 专题报告 (R12). */
      countyOffice: z.string().min(1).max(60).default('友谊县人民政府办公室'),
      /** 主送 of the 通报批评 (county-wide) and of the 专题报告 (县委). */
      tongbaoTo: z
        .array(z.string().min(1).max(60))
        .min(1)
        .max(10)
        .default(['各乡（镇）人民政府', '县政府各部门']),
      zhuantiTo: z.string().min(1).max(60).default('中共友谊县委员会'),
    })
    .prefault({}),
  /** R15: the reminder schedule in working days (W−n before the period's last working day, W+n after its end). */
  schedule: z
    .object({
      three: z
        .object({
          send: z.number().int().min(0).default(10),
          feedback: z.number().int().min(0).default(3),
          roundup: z.number().int().min(1).default(5),
        })
        .prefault({}),
      four: z
        .object({
          send: z.number().int().min(0).default(5),
          feedback: z.number().int().min(0).default(2),
          roundup: z.number().int().min(1).default(3),
        })
        .prefault({}),
      five: z
        .object({
          feedbackAfter: z.number().int().min(1).default(2),
          milestoneLead: z.number().int().min(1).default(5),
          /** The weekly round-up: W+roundup of the week (never before the feedback is due). */
          roundup: z.number().int().min(1).default(1),
        })
        .prefault({}),
    })
    .prefault({})
    .refine((s) => s.three.feedback <= s.three.send && s.four.feedback <= s.four.send, {
      message: '反馈截止不能早于提示发送（W−n 中反馈的 n 应不大于发送的 n）',
    }),
  /** R20: ranking weights. */
  ranking: z
    .object({
      feedbackWeight: z.number().min(0).default(0.4),
      completionWeight: z.number().min(0).default(0.6),
      yellowPenalty: z.number().min(0).default(2),
      orangePenalty: z.number().min(0).default(5),
      redPenalty: z.number().min(0).default(10),
      /** The rate a unit gets when nothing fell due (the notice is silent): 1 = not punished for it. */
      rateWhenNothingDue: z.number().min(0).max(1).default(1),
      /**
       * A unit with nothing due in the period (no feedback due, no task due): 'apart' (default) lists it
       * apart as 本期无到期任务，不参与排名; 'ranked' ranks it with rateWhenNothingDue (the older reading).
       */
      nothingDue: z.enum(['apart', 'ranked']).default('apart'),
    })
    .prefault({}),
  /** R16: the office's own calendar entries, by year; they replace the built-in year where given. */
  holidays: z
    .record(z.string().regex(/^\d{4}$/, '年份应为四位数字'), HolidayYearSchema)
    .default({})
    .superRefine((years, ctx) => {
      // An entry keyed 2027 holding 2026 dates would silently change nothing in 2027.
      for (const [year, entry] of Object.entries(years)) {
        for (const list of ['holidays', 'workdays'] as const) {
          entry[list].forEach((d, i) => {
            if (d.slice(0, 4) !== year)
              ctx.addIssue({
                code: 'custom',
                path: [year, list, i],
                message: `${year}年的节假日数据中的日期${d}不属于${year}年`,
              });
          });
        }
      }
    }),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsInput = z.input<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/** Settings with the office's overrides applied; throws a zod error naming the bad field. */
export function makeSettings(overrides: SettingsInput = {}): Settings {
  return SettingsSchema.parse(overrides);
}
