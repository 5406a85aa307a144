import { sql } from 'kysely';
import type { Ctx, Trx } from '../../../platform/context.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import type { GoodsTrace, ReceiveLine } from '../warehouses.contract.ts';
import * as repo from './warehouses.repository.ts';
import { maskName, personBrief, postReceiptInTrx } from './warehouses.service.ts';

/**
 * What other domains use of the warehouses: goods donations (the donations domain) receive their goods
 * into stock inside THEIR transaction, and follow them from the batches through transfers and issue
 * notes to the distribution recipients (masked).
 */

export type ReceiveGoodsInput = {
  warehouseId: string;
  sourceType: 'donation' | 'purchase' | 'allocation';
  /** For a goods donation: the donation goods line id. */
  sourceId: string;
  occurredOn: string;
  sourceRef?: string | null;
  supplier?: string | null;
  note?: string | null;
  lines: ReceiveLine[];
};

/**
 * Posts a goods received note in the caller's open transaction (`ctx.run` of the same ctx): it commits
 * or rolls back with the caller's own work. Needs `warehouses.write`; refuses what `receive` refuses
 * (unknown item, fractional count quantity, unknown bin, closed warehouse) with a DomainError naming the field.
 */
export async function receiveGoodsInTrx(ctx: Ctx, trx: Trx, input: ReceiveGoodsInput): Promise<{ documentId: string; number: string; batchIds: string[] }> {
  return postReceiptInTrx(ctx, trx, input);
}

/** Follows a source's batches through transfers and issues to the recipients, oldest step first. */
export async function goodsTrace(ctx: Ctx, sourceType: string, sourceId: string): Promise<GoodsTrace> {
  requirePermission(ctx, 'warehouses.read');
  return ctx.run(async (trx) => {
    const roots = await sql<{ id: string }>`select id from stock_batch where source_type = ${sourceType} and source_id = ${sourceId} order by seq`.execute(trx);
    const seen = new Set<string>();
    const queue = roots.rows.map((r) => r.id);
    const steps: GoodsTrace['steps'] = [];
    let received = 0;
    let onHand = 0;
    let inTransit = 0;
    let issued = 0;
    let writtenOff = 0;
    const recipientsCache = new Map<string, Map<string, { name: string; quantity: number }[]>>();
    while (queue.length) {
      const batchId = queue.shift()!;
      if (seen.has(batchId)) continue;
      seen.add(batchId);
      const b = (await sql<{ on_hand: string }>`select on_hand::text as on_hand from stock_batch where id = ${batchId}`.execute(trx)).rows[0];
      if (!b) continue;
      onHand += repo.num(b.on_hand);
      const moves = await sql<Record<string, any>>`
        select m.kind, m.quantity::text as quantity, m.occurred_on, m.item_id, i.name as item_name, i.spec, i.unit, d.id as document_id, d.number, d.kind as doc_kind, d.status, d.to_warehouse_id,
          coalesce(d.to_org_name, tu.name) as to_name, e.name as event_name, w.name as warehouse_name, rv.kind as reversed_kind
        from stock_movement m join stock_document d on d.id = m.document_id join relief_item i on i.id = m.item_id join warehouse w on w.id = m.warehouse_id
          left join org_unit tu on tu.id = d.to_unit_id left join disaster_event e on e.id = d.event_id left join stock_document rv on rv.id = d.reverses
        where m.batch_id = ${batchId} order by m.occurred_on, m.id`.execute(trx);
      for (const m of moves.rows) {
        const qty = repo.num(m.quantity);
        const base = { date: m.occurred_on, documentId: m.document_id, number: m.number, warehouseName: m.warehouse_name, itemName: m.spec ? `${m.item_name}（${m.spec}）` : m.item_name, unit: m.unit, quantity: Math.abs(qty) };
        if (m.kind === 'receive') {
          if (roots.rows.some((r) => r.id === batchId)) received += qty;
          steps.push({ ...base, kind: 'received', to: m.warehouse_name, recipients: [] });
        } else if (m.kind === 'transfer_out') {
          if (m.status === 'shipped') inTransit += -qty;
          steps.push({ ...base, kind: 'transfer', to: `${m.to_name ?? ''}${m.status === 'shipped' ? '（在途）' : ''}`, recipients: [] });
          const next = await sql<{ id: string }>`select id from stock_batch where origin_batch_id = ${batchId} and document_id = ${m.document_id}`.execute(trx);
          queue.push(...next.rows.map((x) => x.id));
        } else if (m.kind === 'issue') {
          issued += -qty;
          let byItem = recipientsCache.get(m.document_id);
          if (!byItem) {
            byItem = new Map();
            const rs = await sql<{ kind: string; person_id: string | null; org_name: string | null; item_id: string; quantity: string }>`
              select r.kind, r.person_id, r.org_name, di.item_id, di.quantity::text as quantity from distribution_recipient r join distribution_item di on di.recipient_id = r.id
              where r.document_id = ${m.document_id} order by r.seq`.execute(trx);
            for (const r of rs.rows) {
              const name = r.kind === 'person' ? maskName((await personBrief(ctx, r.person_id!))?.name ?? '受助人') : r.org_name!;
              const list = byItem.get(r.item_id) ?? [];
              list.push({ name, quantity: repo.num(r.quantity) });
              byItem.set(r.item_id, list);
            }
            recipientsCache.set(m.document_id, byItem);
          }
          steps.push({ ...base, kind: 'issued', to: [m.event_name, m.to_name].filter(Boolean).join(' · ') || null, recipients: byItem.get(m.item_id) ?? [] });
        } else if (m.kind === 'write_off') {
          writtenOff += -qty;
          steps.push({ ...base, kind: 'written_off', to: null, recipients: [] });
        } else if (m.kind === 'adjust') {
          steps.push({ ...base, quantity: qty, kind: 'adjusted', to: null, recipients: [] });
        } else if (m.kind === 'reversal') {
          if (m.reversed_kind === 'issue') issued -= qty;
          if (m.reversed_kind === 'write_off') writtenOff -= qty;
          if (m.reversed_kind === 'receive' && roots.rows.some((r) => r.id === batchId)) received += qty;
          steps.push({ ...base, quantity: qty, kind: 'reversed', to: null, recipients: [] });
        }
      }
    }
    steps.sort((a, b) => a.date.localeCompare(b.date));
    const r3 = (n: number) => Number(n.toFixed(3));
    return { sourceType, sourceId, received: r3(received), onHand: r3(onHand), inTransit: r3(inTransit), issued: r3(issued), writtenOff: r3(writtenOff), steps };
  });
}
