// The round-up report (督检汇总报告, R21) as .docx, 报县政府. It takes the same query as GET /api/roundup
// and is made from the very same report (services/roundup.ts: same validation, same errors, same
// numbers), so the report and the pane never disagree.
import { roundupDocument as roundupContent } from '../../shared/documents/index.js';
import { renderDocx } from '../documents/render.js';
import { wordFile } from '../documents/respond.js';
import { ledgerRoundup } from '../services/roundup.js';
import type { ApiRun } from './adapter.js';
import { RoundupQuery } from './common.js';
import { httpFunction } from './route.js';

const roundupDocument: ApiRun = async (call) => {
  const { report, settings } = await ledgerRoundup(await call.storage(), call.query(RoundupQuery), call.now);
  const content = roundupContent(report, { settings });
  return wordFile({
    fileName: content.fileName,
    asciiName: `roundup-${report.period}.docx`,
    bytes: await renderDocx(content),
  });
};

export default httpFunction('roundupDocument', {
  route: 'roundup/document',
  query: { GET: RoundupQuery },
  methods: { GET: roundupDocument },
});
