import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { lookupQuery as donationLookupQuery } from '../../donations/donations.contract.ts';
import { donationProofs } from '../../donations/server/donations.ledger.ts';
import { consistencyQuery, cosignatureInput, inclusionQuery, lookupQuery, proofHashes, publicProof, signedCheckpoint } from '../ledger.contract.ts';
import { toBase64 } from '../verify/note.ts';
import { parseTileIndex } from '../verify/tlog.ts';
import * as svc from './ledger.service.ts';

/**
 * The public read API of the log (c2sp.org/tlog-tiles plus convenience endpoints), no login and
 * cacheable: what a given (index, size) or tile names never changes, so those answers are
 * immutable; the checkpoint moves and is cached for seconds.
 */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=5';

function parseTilePath(rest: string) {
  const parts = rest.split('/');
  let width = 256;
  if (parts.length >= 2 && parts[parts.length - 2]!.endsWith('.p')) {
    const w = parts.pop()!;
    if (!/^[1-9]\d{0,2}$/.test(w) || Number(w) > 255) return null;
    width = Number(w);
    parts[parts.length - 1] = parts[parts.length - 1]!.slice(0, -2);
  }
  const n = parseTileIndex(parts);
  return n === null ? null : { n, width };
}

export const ledgerRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, opts) => {
  const tags = ['ledger 公开账本'];
  const deps = opts.deps;
  const db = () => deps.db;

  app.get('/api/ledger/checkpoint', {
    config: { public: true },
    schema: { tags, summary: '最新的已签署检查点（C2SP 签名注记，含见证人联署）', produces: ['text/plain'] },
    handler: async (_req, reply) => {
      const c = await svc.publishedCheckpoint(db());
      return reply.header('Cache-Control', SHORT).type('text/plain; charset=utf-8').send(c.note);
    },
  });
  app.get('/api/ledger/key', {
    config: { public: true },
    schema: { tags, summary: '账本的验证公钥（C2SP note verifier key）', produces: ['text/plain'] },
    handler: async (_req, reply) => reply.header('Cache-Control', 'public, max-age=3600').type('text/plain; charset=utf-8').send(svc.verifierKey(deps) + '\n'),
  });
  app.get('/api/ledger/entries/:index', {
    config: { public: true },
    schema: { tags, summary: '一条账本条目的原始字节（规范化 JSON）', params: z.strictObject({ index: z.coerce.number().int().min(0) }) },
    handler: async (req, reply) => {
      const e = await svc.entryAt(db(), req.params.index);
      return reply.header('Cache-Control', IMMUTABLE).type('application/json; charset=utf-8').send(Buffer.from(e.entry));
    },
  });
  app.get('/api/ledger/proof/inclusion', {
    config: { public: true },
    schema: { tags, summary: '包含证明（RFC 6962 审计路径，自叶到根）', querystring: inclusionQuery, response: { 200: proofHashes.extend({ index: z.number(), size: z.number() }) } },
    handler: async (req, reply) => {
      const hashes = await svc.inclusionProofAt(db(), req.query.index, req.query.size);
      reply.header('Cache-Control', IMMUTABLE);
      return { index: req.query.index, size: req.query.size, hashes: hashes.map(toBase64) };
    },
  });
  app.get('/api/ledger/proof/consistency', {
    config: { public: true },
    schema: { tags, summary: '一致性证明（RFC 6962）', querystring: consistencyQuery, response: { 200: proofHashes.extend({ from: z.number(), to: z.number() }) } },
    handler: async (req, reply) => {
      const hashes = await svc.consistencyProofAt(db(), req.query.from, req.query.to);
      reply.header('Cache-Control', IMMUTABLE);
      return { from: req.query.from, to: req.query.to, hashes: hashes.map(toBase64) };
    },
  });
  app.get('/api/ledger/lookup', {
    config: { public: true },
    schema: { tags, summary: '按叶哈希查找条目序号', querystring: lookupQuery, response: { 200: z.object({ index: z.number() }) } },
    handler: async (req, reply) => {
      const index = await svc.lookupLeaf(db(), req.query.leafHash);
      reply.header('Cache-Control', IMMUTABLE);
      return { index };
    },
  });
  const sendTile = (reply: FastifyReply, body: Buffer) => reply.header('Cache-Control', IMMUTABLE).type('application/octet-stream').send(body);
  // The tile index is 1–3 path groups (x001/x234/067) and may end in .p/<W>: one route per depth
  // (named parameters, so every route appears in the OpenAPI document), covering 10^9 tiles.
  const segs = ['a', 'b', 'c', 'd'] as const;
  const restOf = (p: Record<string, string | undefined>) => segs.map((k) => p[k]).filter((x): x is string => x !== undefined).join('/');
  for (let depth = 1; depth <= segs.length; depth++) {
    const names = segs.slice(0, depth);
    const suffix = names.map((k) => `:${k}`).join('/');
    const segParams = Object.fromEntries(names.map((k) => [k, z.string().max(8)]));
    app.get(`/api/ledger/tile/entries/${suffix}`, {
      config: { public: true },
      schema: { tags, summary: '条目包（c2sp.org/tlog-tiles：每条为 u16 长度 + 字节）', params: z.object(segParams) },
      handler: async (req, reply) => {
        const t = parseTilePath(restOf(req.params as Record<string, string>));
        if (!t) throw new DomainError('ledger.tile_not_found');
        return sendTile(reply, await svc.entryBundle(db(), t.n, t.width));
      },
    });
    app.get(`/api/ledger/tile/:level/${suffix}`, {
      config: { public: true },
      schema: { tags, summary: '哈希分片（c2sp.org/tlog-tiles）', params: z.object({ level: z.coerce.number().int().min(0).max(7), ...segParams }) },
      handler: async (req, reply) => {
        const t = parseTilePath(restOf(req.params as unknown as Record<string, string>));
        if (!t) throw new DomainError('ledger.tile_not_found');
        return sendTile(reply, await svc.tile(db(), (req.params as { level: number }).level, t.n, t.width));
      },
    });
  }
  app.post('/api/ledger/checkpoint/cosignature', {
    config: { public: true, rateLimit: { max: 30, timeWindow: 60_000 } },
    schema: { tags, summary: '见证人提交对检查点的联署（c2sp.org/tlog-cosignature v1，由签名本身认证）', body: cosignatureInput, response: { 200: z.object({ treeSize: z.number(), witness: z.string(), created: z.boolean() }) } },
    handler: (req) => svc.addCosignature(deps, req.body),
  });
  app.post('/api/ledger/checkpoint/sign', {
    config: { permission: 'ledger.sign' },
    schema: { tags, summary: '立即签署检查点（先核对与上次签署的一致性）', response: { 200: signedCheckpoint } },
    handler: async (req) => {
      const r = await svc.signNow(req.ctx);
      return { treeSize: r.treeSize, rootHash: toBase64(r.rootHash), note: r.note, created: r.created };
    },
  });
  app.get('/api/public/donations/trace/proof', {
    config: { public: true, rateLimit: { max: 20, timeWindow: 60_000 } },
    schema: { tags, summary: '捐赠人凭查询码获取本笔捐赠各步骤的账本证明（含 tlog-proof 证明包，可离线核验）', querystring: donationLookupQuery, response: { 200: publicProof } },
    handler: async (req, reply) => {
      const p = await donationProofs(deps, req.query.code);
      reply.header('Cache-Control', 'no-store');
      return p;
    },
  });

  let stop: (() => void) | undefined;
  app.addHook('onListen', async () => {
    stop = svc.startSigner(deps);
  });
  app.addHook('onClose', async () => stop?.());
};
