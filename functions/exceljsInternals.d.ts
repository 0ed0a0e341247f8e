// The modules of exceljs (pinned at 4.4.0) that the ledger reader loads on their own, without the
// package's entry point: that also loads the streaming reader and writer (unzipper, archiver, tmp),
// several hundred milliseconds of module loading that reading a ledger never uses.
declare module 'exceljs/lib/doc/workbook.js' {
  import type { Workbook } from 'exceljs';
  const WorkbookClass: typeof Workbook;
  export default WorkbookClass;
}

/** An exceljs part parser: consumes the XML text of one part, in pieces, and gives its model. */
interface ExceljsXform {
  parseStream(xml: AsyncIterable<string> | Iterable<string>): Promise<unknown>;
}

declare module 'exceljs/lib/xlsx/xform/core/app-xform.js' {
  const Xform: new () => ExceljsXform;
  export default Xform;
}
declare module 'exceljs/lib/xlsx/xform/core/core-xform.js' {
  const Xform: new () => ExceljsXform;
  export default Xform;
}
declare module 'exceljs/lib/xlsx/xform/style/styles-xform.js' {
  const Xform: new () => ExceljsXform;
  export default Xform;
}
declare module 'exceljs/lib/xlsx/xform/strings/shared-strings-xform.js' {
  const Xform: new () => ExceljsXform;
  export default Xform;
}

declare module 'exceljs/lib/doc/cell.js' {
  /** exceljs's cell: given a cell's model, it gives that cell's value as the workbook's cells do. */
  export default class Cell {
    constructor(row: { style: object }, column: { style: object }, address: string);
    set model(model: object);
    get value(): unknown;
  }
}

declare module 'exceljs/lib/doc/enums.js' {
  const Enums: {
    ValueType: { readonly Null: 0; readonly Merge: 1; readonly String: 3; readonly Formula: 6 };
  };
  export default Enums;
}
