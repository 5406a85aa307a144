import { sql } from 'kysely';
import type { Ctx, Trx } from '../../../platform/context.ts';
import type { LedgerEntry } from '../../ledger/ledger.contract.ts';
import { appendLedgerEntry } from '../../ledger/server/ledger.append.ts';
import { linkedIndexes } from '../../ledger/server/ledger.service.ts';

/**
 * Stock movements on the public ledger (docs/decisions/0012): one entry per document and item,
 * appended as the last statement of the posting's transaction. Entries name the warehouse and item
 * by code, the quantity, and nothing about the recipients; a transfer leaves the sending warehouse
 * (`transfer`) and arrives at the receiving one (`stock_in`, referring to the transfer entries), so
 * "stock never negative" can be checked per warehouse and item from the log alone.
 */
export const STOCK_LINK = 'stock_document';

type Move = { kind: string; qty: string; item_code: string; unit: string; warehouse_code: string; unit_code: string | null; unit_id: string; occurred_on: string; number: string; doc_kind: string; destination: string | null; source_type: string | null; source_id: string | null };

const qtyText = (n: number) => {
  const s = Math.abs(n).toFixed(3).replace(/\.?0+$/, '');
  return s === '' ? '0' : s;
};

function entryType(m: Move, q: number): LedgerEntry['type'] {
  if (m.kind === 'transfer_out') return 'transfer';
  if (m.kind === 'issue') return m.destination === 'distribution' ? 'distribution' : 'stock_out';
  return q > 0 ? 'stock_in' : 'stock_out';
}

/**
 * Appends the document's movements of the given kinds (those this posting made), summed per item.
 * `refs`: earlier entries the goods came from (a goods donation's receipt entry; for a transfer
 * received, the transfer's own entries are found by the link).
 */
export async function logStockDocument(ctx: Ctx, trx: Trx, documentId: string, kinds: readonly string[], refs: readonly number[] = []) {
  const r = await sql<Move>`
    select m.kind, sum(m.quantity)::text as qty, i.code as item_code, i.unit, w.code as warehouse_code, u.code as unit_code, u.id as unit_id,
      max(m.occurred_on)::text as occurred_on, d.number, d.kind as doc_kind, d.destination, d.source_type, d.source_id::text as source_id
    from stock_movement m join relief_item i on i.id = m.item_id join warehouse w on w.id = m.warehouse_id join org_unit u on u.id = w.org_unit_id
      join stock_document d on d.id = m.document_id
    where m.document_id = ${documentId} and m.kind in (${sql.join([...kinds])})
    group by m.kind, i.code, i.unit, w.code, u.code, u.id, d.number, d.kind, d.destination, d.source_type, d.source_id
    order by i.code, m.kind`.execute(trx);
  let from = [...refs];
  if (kinds.includes('transfer_in')) from = [...from, ...(await linkedIndexes(trx, STOCK_LINK, [documentId])).map((x) => x.idx)];
  const out = [];
  for (const m of r.rows) {
    const q = Number(m.qty);
    if (q === 0) continue;
    const entry: LedgerEntry = {
      v: 1,
      type: entryType(m, q),
      id: `${m.number}/${m.item_code}${m.kind === 'transfer_in' ? '/in' : ''}`.slice(0, 64),
      ts: ctx.deps.clock.now().toISOString(),
      date: m.occurred_on,
      org: m.unit_code ?? m.unit_id,
      designation: m.doc_kind,
      goods: { item: m.item_code, qty: qtyText(q), unit: m.unit, warehouse: m.warehouse_code },
      ...(from.length ? { refs: [...new Set(from)].sort((a, b) => a - b).map((i) => ({ i })) } : {}),
    };
    out.push(await appendLedgerEntry(trx, entry, [{ refType: STOCK_LINK, refId: documentId }]));
  }
  return out;
}
