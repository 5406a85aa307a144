import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contentDisposition, xlsxStream } from '../../../platform/excel.ts';
import { shanghaiDate, t } from '../../../platform/i18n.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import { channelLabels, designationLabels, donationListQuery, type Donation } from '../donations.contract.ts';
import * as svc from './donations.service.ts';

const STATUS = { draft: { zh: '草稿', en: 'Draft' }, confirmed: { zh: '已确认', en: 'Confirmed' }, reversed: { zh: '已冲销', en: 'Reversed' } } as const;
const WAIVER = { anonymous: { zh: '匿名不开票', en: 'Anonymous, no receipt' }, declined: { zh: '捐赠人放弃票据', en: 'Receipt declined' } } as const;

/** 捐赠登记 as a workbook for the finance office: every gift the filters select, in the caller's jurisdiction, streamed. */
export const donationsExportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/donations/export.xlsx', {
    config: { permission: 'donations.read' },
    schema: { tags: ['donations 捐赠与资金'], summary: '导出捐赠登记（xlsx，按筛选条件）', querystring: donationListQuery.omit({ cursor: true, limit: true }) },
    handler: async (req, reply) => {
      const { ctx } = req;
      const lang = ctx.lang;
      const en = lang === 'en';
      await recordAudit(ctx, { action: 'donations.exported', details: { filter: req.query } });
      const designation = (d: Donation) =>
        d.designation === 'project' ? `${t(designationLabels.project, lang)}：${d.projectName ?? ''}` : d.designation === 'beneficiary' ? `${t(designationLabels.beneficiary, lang)}：${d.beneficiary ?? ''}` : t(designationLabels.unrestricted, lang);
      const rows = (async function* () {
        let cursor: string | undefined;
        do {
          const page = await svc.listDonations(ctx, { ...req.query, cursor, limit: 500 });
          for (const d of page.items) {
            yield {
              number: d.number,
              receivedOn: d.receivedOn,
              donor: d.donorName,
              amount: d.amountFen / 100,
              channel: t(channelLabels[d.channel], lang),
              designation: designation(d),
              purpose: d.purpose ?? '',
              receipt: d.receiptNo ?? (d.receiptWaiver ? t(WAIVER[d.receiptWaiver], lang) : ''),
              status: t(STATUS[d.status], lang),
              unspent: d.unspentFen / 100,
              unit: d.unitName,
              confirmedAt: d.confirmedAt ? shanghaiDate(new Date(d.confirmedAt)) : '',
            };
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      })();
      reply.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      reply.header('Content-Disposition', contentDisposition(`${en ? 'donations' : '捐赠登记'}-${shanghaiDate(ctx.deps.clock.now())}.xlsx`));
      return reply.send(
        xlsxStream({
          sheetName: en ? 'Donations' : '捐赠登记',
          title: en ? 'Donations' : '捐赠登记',
          watermark: `${ctx.actor.username} · ${ctx.deps.clock.now().toISOString()}`,
          columns: [
            { header: en ? 'Number' : '捐赠编号', key: 'number', width: 24 },
            { header: en ? 'Received on' : '收到日期', key: 'receivedOn', width: 12 },
            { header: en ? 'Donor' : '捐赠人', key: 'donor', width: 24 },
            { header: en ? 'Amount (yuan)' : '金额（元）', key: 'amount', width: 14 },
            { header: en ? 'Channel' : '方式', key: 'channel', width: 12 },
            { header: en ? 'Designation' : '指定用途', key: 'designation', width: 30 },
            { header: en ? 'Purpose' : '说明', key: 'purpose', width: 24 },
            { header: en ? 'Receipt' : '票据', key: 'receipt', width: 18 },
            { header: en ? 'Status' : '状态', key: 'status', width: 8 },
            { header: en ? 'Unspent (yuan)' : '未使用（元）', key: 'unspent', width: 14 },
            { header: en ? 'Receiving unit' : '接收单位', key: 'unit', width: 14 },
            { header: en ? 'Confirmed on' : '确认日期', key: 'confirmedAt', width: 12 },
          ],
          rows,
        }),
      );
    },
  });
};
