// Document numbers (R14), unique and gap-free per kind and year, even when clerks issue at the same
// moment. Table Counters: PartitionKey '<kind>|<year>'; RowKey 'counter' holds the last number n;
// RowKey '<n, 6 digits>' records who got n. Taking a number is ONE transaction of both rows: the
// counter updated If-Match (or created, when it is the year's first) and the number's row created.
// A concurrent issuer's transaction fails on the ETag (412) or the create (409); it re-reads and
// takes the next number. A number is therefore never given twice, and never skipped.
import type { DocKind } from '../../shared/model.js';
import { ApiError, storageStatus } from '../errors.js';
import { transactionError, type Storage } from './client.js';

export async function takeDocNumber(
  storage: Storage,
  kind: DocKind,
  year: number,
  claim: { cardId: string; unit: string; docNo: (n: number) => string },
): Promise<{ n: number; docNo: string }> {
  const pk = `${kind}|${year}`;
  const table = storage.table('Counters');
  for (let attempt = 0; attempt < 200; attempt++) {
    const counter = await storage.get('Counters', pk, 'counter');
    const n = Number(counter?.n ?? 0) + 1;
    const docNo = claim.docNo(n);
    const row = {
      partitionKey: pk,
      rowKey: String(n).padStart(6, '0'),
      n,
      docNo,
      cardId: claim.cardId,
      unit: claim.unit,
    };
    try {
      await table.submitTransaction([
        counter
          ? ['update', { partitionKey: pk, rowKey: 'counter', n }, 'Replace', { etag: counter.etag }]
          : ['create', { partitionKey: pk, rowKey: 'counter', n }],
        ['create', row],
      ]);
      return { n, docNo };
    } catch (e) {
      const status = storageStatus(e);
      if (status === 412 || status === 409) {
        await new Promise((r) => setTimeout(r, Math.random() * 15 * Math.min(attempt + 1, 8)));
        continue;
      }
      throw transactionError(e);
    }
  }
  throw new ApiError(409, 'doc_number_busy', '文号分配繁忙，请稍后重试');
}

export async function issuedDocNumbers(storage: Storage, kind: DocKind, year: number) {
  const rows = await storage.listPartition('Counters', `${kind}|${year}`);
  return rows
    .filter((r) => r.rowKey !== 'counter')
    .map((r) => ({ n: Number(r.n), docNo: String(r.docNo), cardId: String(r.cardId), unit: String(r.unit) }));
}
