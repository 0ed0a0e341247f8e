// The ledger reader (R1, R2, R4–R7): plain cell values in, tasks, rows and problems out.
// Pure: no Node, Office or Azure. functions/xlsx.ts feeds it from a file, the add-in from range.values.
export { type CellValue, columnLetter, excelSerialToIsoDate, isoDateToExcelSerial } from './cells.js';
export { parseDeadline, parseDateText, latestDateIn, deadlineIsReadable } from './deadline.js';
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
export {
  type LedgerField,
  type HeaderMatch,
  type ColumnMap,
  FIELD_LABELS,
  LEDGER_FIELDS,
  REQUIRED_FIELDS,
  headerScore,
  findHeader,
  fieldOfHeader,
  normalizeHeader,
} from './header.js';
export { type MergedArea, columnIndex, parseArea, fillMerges, hiddenByMerge } from './merges.js';
export { splitLeadUnits, leadUnitsOf, isLeadUnitOf } from './leadUnits.js';
export { HEADER_VARIANTS, PUBLISHED_HEADERS } from './vocabulary.js';
export { readLedger, type LedgerResult, type LedgerTaskRead, type ReadLedgerOptions } from './read.js';
