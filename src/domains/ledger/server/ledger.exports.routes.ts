import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportDisbursementsHxl, exportDonationsHxl, exportIati, exportStockHxl, iatiConfigFromEnv, type ExportResult, type IatiConfig } from './ledger.exports.ts';

/**
 * Public open-data exports of the ledger (no login, cacheable). Each names the signed checkpoint it
 * was built from — in the file itself and in the X-Ledger-Checkpoint-Size / X-Ledger-Root-Hash
 * headers — and holds only entries below its tree size, so the same query always gives a file that
 * anyone can regenerate from the public log. The ETag is a hash of everything the file is made from.
 */
/** `iati` defaults to BOAI_IATI_ORG_REF / BOAI_IATI_ORG_TYPE from the environment (iatiConfigFromEnv). */
export type LedgerExportsOptions = { iati?: IatiConfig };

const query = z.strictObject({
  checkpoint_size: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe('已签名检查点的树大小；缺省为最新检查点 / tree size of a signed checkpoint (default: the latest)'),
});

export const ledgerExportsRoutes: FastifyPluginAsyncZod<LedgerExportsOptions> = async (app, opts) => {
  const tags = ['ledger 公开账本'];
  const iati = opts.iati ?? iatiConfigFromEnv();
  const limit = { max: 30, timeWindow: 60_000 };

  const send = (req: FastifyRequest, reply: FastifyReply, r: ExportResult, contentType: string, fileName: string, pinned: boolean) => {
    reply
      .header('Content-Type', contentType)
      .header('Content-Disposition', `inline; filename="${fileName}"`)
      .header('X-Ledger-Checkpoint-Size', String(r.checkpoint.treeSize))
      .header('X-Ledger-Root-Hash', r.checkpoint.rootHash)
      .header('ETag', r.etag)
      // A file for a named checkpoint changes only if a project is renamed or a donor withdraws consent; the latest moves on.
      .header('Cache-Control', pinned ? 'public, max-age=3600' : 'public, max-age=60')
      .header('Vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === r.etag) return reply.code(304).send();
    // Streamed chunk by chunk: a large file never becomes one string.
    return reply.send(Readable.from(r.chunks(), { objectMode: false }));
  };

  app.get('/api/ledger/export/iati.xml', {
    config: { public: true, rateLimit: limit },
    schema: { tags, summary: 'IATI 2.03 活动数据（每个项目一个活动，交易 ref 为账本序号）', querystring: query },
    handler: async (req, reply) => {
      const r = await exportIati(req.ctx.deps, { checkpointSize: req.query.checkpoint_size, iati });
      return send(req, reply, r, 'application/xml; charset=utf-8', `boai-iati-${r.checkpoint.treeSize}.xml`, req.query.checkpoint_size !== undefined);
    },
  });
  app.get('/api/ledger/export/donations.hxl.csv', {
    config: { public: true, rateLimit: limit },
    schema: { tags, summary: '捐赠明细 HXL CSV（个人不具名，匿名捐赠记为“匿名”）', querystring: query },
    handler: async (req, reply) => {
      const r = await exportDonationsHxl(req.ctx.deps, { checkpointSize: req.query.checkpoint_size });
      return send(req, reply, r, 'text/csv; charset=utf-8', `boai-donations-${r.checkpoint.treeSize}.hxl.csv`, req.query.checkpoint_size !== undefined);
    },
  });
  app.get('/api/ledger/export/disbursements.hxl.csv', {
    config: { public: true, rateLimit: limit },
    schema: { tags, summary: '拨付明细 HXL CSV（个人受助人不具名）', querystring: query },
    handler: async (req, reply) => {
      const r = await exportDisbursementsHxl(req.ctx.deps, { checkpointSize: req.query.checkpoint_size });
      return send(req, reply, r, 'text/csv; charset=utf-8', `boai-disbursements-${r.checkpoint.treeSize}.hxl.csv`, req.query.checkpoint_size !== undefined);
    },
  });
  app.get('/api/ledger/export/stock.hxl.csv', {
    config: { public: true, rateLimit: limit },
    schema: { tags, summary: '物资收发 HXL CSV（入库、出库、发放及结存）', querystring: query },
    handler: async (req, reply) => {
      const r = await exportStockHxl(req.ctx.deps, { checkpointSize: req.query.checkpoint_size });
      return send(req, reply, r, 'text/csv; charset=utf-8', `boai-stock-${r.checkpoint.treeSize}.hxl.csv`, req.query.checkpoint_size !== undefined);
    },
  });
};
