// The baseline of `npm run bench -- cli`: a bare exceljs read of a workbook in a process of its own
// (open, read, visit every cell of the first sheet), what any Node tool reading the ledger pays.
import process from 'node:process';
import ExcelJS from 'exceljs';

const wb = new ExcelJS.Workbook();
await wb.xlsx.readFile(process.argv[2]);
let cells = 0;
wb.worksheets[0].eachRow({ includeEmpty: true }, (row) => {
  row.eachCell({ includeEmpty: true }, (c) => {
    if (c.value !== undefined) cells++;
  });
});
process.stdout.write(`${cells}\n`);
