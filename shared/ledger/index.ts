// The ledger reader (R1, R2, R4–R7): plain cell values in, tasks, rows and problems out.
export { type CellValue, columnLetter, excelSerialToIsoDate, isoDateToExcelSerial } from './cells.js';
export { parseDeadline, parseDateText, deadlineIsReadable } from './deadline.js';
export {
  parseStars,
  starCount,
  parseCategory,
  splitUnits,
  parseMilestones,
  parseTarget,
  parseClosed,
  parentOfNo,
  isItemNumber,
} from './fields.js';
export { type LedgerField, FIELD_LABELS, REQUIRED_FIELDS, headerScore, fieldOfHeader } from './header.js';
export { readLedger, type LedgerResult, type LedgerTaskRead, type ReadLedgerOptions } from './read.js';
