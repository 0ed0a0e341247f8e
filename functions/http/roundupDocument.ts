// GET /api/roundup/document?ledgerId=…&period=2026-Q1[&asOf=YYYY-MM-DD] — the round-up report
// (督检汇总报告, R21) as .docx, 报县政府. It takes the same query as GET /api/roundup and is made from that
// very answer (same validation, same errors, same numbers), so the report and the pane never disagree.
import type { RoundupReport } from '../../shared/rules/roundup.js';
import { roundupDocument as roundupContent } from '../../shared/documents/index.js';
import { ApiError, type ErrorStatus } from '../errors.js';
import { renderDocx } from '../documents/render.js';
import { documentApi } from '../documents/respond.js';
import { getRoundup } from './getRoundup.js';
import { rulesContext } from './common.js';

export const roundupDocument = documentApi(async (call) => {
  const res = await getRoundup(call.req, call.ctx);
  const parsed: unknown =
    res.jsonBody ?? (typeof res.body === 'string' && res.body ? JSON.parse(res.body) : null);
  if ((res.status ?? 200) !== 200) {
    const err = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(
      (res.status ?? 500) as ErrorStatus,
      err?.code ?? 'internal',
      err?.message ?? '汇总数据获取失败',
    );
  }
  const report = parsed as RoundupReport;
  const { settings } = await rulesContext(await call.storage());
  const content = roundupContent(report, { settings });
  return {
    fileName: content.fileName,
    asciiName: `roundup-${report.period}.docx`,
    bytes: await renderDocx(content),
  };
});
