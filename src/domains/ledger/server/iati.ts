/**
 * IATI 2.03 activity XML from ledger events (reference/ledger.md §9.1). Pure: the same checkpoint
 * and the same events give the same bytes, so anyone holding the public log can regenerate the file
 * and compare. One activity per project plus one for the general (unearmarked) fund; every
 * transaction's @ref is the ledger index of the entry it comes from. Persons are never named:
 * individual donors and beneficiaries appear only as a kind ("个人捐赠人"), organisations by name only
 * when they consented to publication.
 */

export type ExportCheckpoint = {
  treeSize: number;
  /** base64 of the RFC 6962 root hash, as in the signed checkpoint note. */
  rootHash: string;
  /** When the checkpoint was signed (ISO 8601): the file's generated-datetime, so the bytes stay reproducible. */
  createdAt: string;
};

export type ExportProject = {
  id: string;
  code: string;
  name: string;
  summary: string | null;
  category: string;
  status: string;
  periodStart: string | null;
  periodEnd: string | null;
  /** 'YYYY-MM-DD' in Asia/Shanghai. */
  createdOn: string;
  unitName: string;
};

export type DonorKind = 'person' | 'organisation' | 'anonymous';

/** A ledger entry joined with what the public may know of its business row. Amounts in fen. */
export type LedgerEvent =
  | {
      idx: number;
      kind: 'receipt' | 'correction' | 'pledge';
      date: string;
      amountFen: number;
      projectId: string | null;
      donorKind: DonorKind;
      /** Only an organisation that consented to publication; null otherwise. */
      donorName: string | null;
      channel: string;
      designation: string;
      number: string;
      unitName: string;
      /** For a correction: the ledger index of the entry it corrects, when the entry says so. */
      corrects: number | null;
    }
  | { idx: number; kind: 'allocation'; date: string; amountFen: number; projectId: string; unitName: string }
  | {
      idx: number;
      kind: 'disbursement';
      date: string;
      amountFen: number;
      projectId: string | null;
      category: 'aid' | 'management';
      recipientKind: 'person' | 'organisation';
      /** Only for organisations; persons are never named. */
      recipientName: string | null;
      unitName: string;
    };

export type IatiOptions = {
  /** The reporting organisation's IATI identifier (registration-agency prefix + number), configurable. */
  orgRef: string;
  /** IATI OrganisationType code of the reporting organisation (22 National NGO by default). */
  orgType: string;
  orgNameZh: string;
  orgNameEn: string | null;
};

const GENERAL = 'GENERAL-FUND';

/** DAC 5-digit purpose codes (vocabulary 1) for the project categories. */
export const SECTOR_BY_CATEGORY: Record<string, string> = {
  relief: '72010', // Material relief assistance and services
  disaster: '74020', // Multi-hazard response preparedness
  first_aid: '74020',
  medical: '12191', // Medical services
  education: '16010', // Social protection
  life: '16010',
  volunteer: '16010',
  other: '16010',
};

const STATUS_CODE: Record<string, string> = { draft: '1', fundraising: '2', closed: '4' };

export function yuan(fen: number): string {
  const neg = fen < 0;
  const a = Math.abs(fen);
  return `${neg ? '-' : ''}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function xmlEscape(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  // Characters XML 1.0 cannot carry at all are dropped rather than producing an unreadable file.
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  return clean.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const attrs = (a: Record<string, string | number | null | undefined>) =>
  Object.entries(a)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');

function narratives(zh: string | null, en: string | null, indent: string): string {
  const out: string[] = [];
  if (zh) out.push(`${indent}<narrative xml:lang="zh">${xmlEscape(zh)}</narrative>`);
  if (en) out.push(`${indent}<narrative xml:lang="en">${xmlEscape(en)}</narrative>`);
  return out.join('\n');
}

function el(name: string, a: Record<string, string | number | null | undefined>, zh: string | null, en: string | null, indent: string): string {
  const inner = narratives(zh, en, indent + '  ');
  return inner ? `${indent}<${name}${attrs(a)}>\n${inner}\n${indent}</${name}>` : `${indent}<${name}${attrs(a)}/>`;
}

type Tx = {
  ref: number;
  type: '1' | '3' | '4' | '11';
  date: string;
  valueFen: number;
  descZh: string;
  descEn: string;
  provider?: { ref?: string | null; activityId?: string | null; zh: string | null; en: string | null };
  receiver?: { ref?: string | null; activityId?: string | null; zh: string | null; en: string | null };
};

const donorLabel = (e: { donorKind: DonorKind; donorName: string | null }): { zh: string; en: string | null } =>
  e.donorKind === 'anonymous' ? { zh: '匿名', en: 'Anonymous' } : e.donorKind === 'person' ? { zh: '个人捐赠人', en: 'Individual donor' } : e.donorName ? { zh: e.donorName, en: null } : { zh: '爱心单位', en: 'Organisation (not named)' };

const recipientLabel = (e: { recipientKind: 'person' | 'organisation'; recipientName: string | null }): { zh: string; en: string | null } =>
  e.recipientKind === 'person' ? { zh: '个人受助人（不公开姓名）', en: 'Individual beneficiary (not named)' } : { zh: e.recipientName ?? '受助单位', en: null };

/**
 * Groups the events into activities: receipts into their project (or the general fund), each
 * allocation twice (3 out of the general fund, 1 into the project, the same @ref), each
 * disbursement into the fund it was paid from (3 aid, 4 management costs).
 */
export function iatiTransactions(events: readonly LedgerEvent[], opts: IatiOptions, projects: ReadonlyMap<string, ExportProject>) {
  const byActivity = new Map<string, Tx[]>();
  const push = (key: string, tx: Tx) => {
    let list = byActivity.get(key);
    if (!list) byActivity.set(key, (list = []));
    list.push(tx);
  };
  const idOf = (key: string) => `${opts.orgRef}-${key === GENERAL ? GENERAL : projects.get(key)?.code ?? key}`;
  const keyOf = (projectId: string | null) => (projectId && projects.has(projectId) ? projectId : GENERAL);
  for (const e of [...events].sort((a, b) => a.idx - b.idx)) {
    if (e.kind === 'receipt' || e.kind === 'pledge' || e.kind === 'correction') {
      const key = keyOf(e.projectId);
      const donor = donorLabel(e);
      const sign = e.kind === 'correction' ? -1 : 1;
      push(key, {
        ref: e.idx,
        type: e.kind === 'pledge' ? '11' : '1',
        date: e.date,
        valueFen: sign * e.amountFen,
        descZh: e.kind === 'correction' ? `冲销误录的捐赠${e.corrects !== null ? `（账本第 ${e.corrects} 号记录）` : ''}：${e.number}` : e.kind === 'pledge' ? `捐赠承诺：${e.number}` : `收到捐赠：${e.number}（${e.unitName}）`,
        descEn: e.kind === 'correction' ? `Reversal of a donation recorded in error${e.corrects !== null ? ` (ledger entry ${e.corrects})` : ''}: ${e.number}` : e.kind === 'pledge' ? `Pledge: ${e.number}` : `Donation received: ${e.number}`,
        provider: { zh: donor.zh, en: donor.en },
        receiver: { ref: opts.orgRef, activityId: idOf(key), zh: e.unitName, en: null },
      });
    } else if (e.kind === 'allocation') {
      const key = keyOf(e.projectId);
      const name = projects.get(e.projectId)?.name ?? null;
      push(GENERAL, {
        ref: e.idx, type: '3', date: e.date, valueFen: e.amountFen,
        descZh: `非定向资金分配到项目${name ? `：${name}` : ''}`, descEn: 'Allocation of unearmarked funds to a project',
        provider: { ref: opts.orgRef, activityId: idOf(GENERAL), zh: opts.orgNameZh, en: opts.orgNameEn },
        receiver: { ref: opts.orgRef, activityId: idOf(key), zh: name, en: null },
      });
      if (key !== GENERAL) {
        push(key, {
          ref: e.idx, type: '1', date: e.date, valueFen: e.amountFen,
          descZh: '由非定向资金分配', descEn: 'Allocated from unearmarked funds',
          provider: { ref: opts.orgRef, activityId: idOf(GENERAL), zh: opts.orgNameZh, en: opts.orgNameEn },
          receiver: { ref: opts.orgRef, activityId: idOf(key), zh: name, en: null },
        });
      }
    } else if (e.kind === 'disbursement') {
      const key = keyOf(e.projectId);
      const who = recipientLabel(e);
      push(key, {
        ref: e.idx, type: e.category === 'management' ? '4' : '3', date: e.date, valueFen: e.amountFen,
        descZh: e.category === 'management' ? `管理费用（${e.unitName}）` : `救助拨付（${e.unitName}）`,
        descEn: e.category === 'management' ? 'Management costs' : 'Aid disbursement',
        provider: { ref: opts.orgRef, activityId: idOf(key), zh: e.unitName, en: null },
        receiver: { zh: who.zh, en: who.en },
      });
    }
  }
  return { byActivity, idOf };
}

function txXml(t: Tx): string {
  const i = '      ';
  const parts = [
    `    <transaction${attrs({ ref: t.ref })}>`,
    `${i}<transaction-type code="${t.type}"/>`,
    `${i}<transaction-date iso-date="${t.date}"/>`,
    `${i}<value currency="CNY" value-date="${t.date}">${yuan(t.valueFen)}</value>`,
    el('description', {}, t.descZh, t.descEn, i),
  ];
  if (t.provider) parts.push(el('provider-org', { ref: t.provider.ref, 'provider-activity-id': t.provider.activityId }, t.provider.zh, t.provider.en, i));
  if (t.receiver) parts.push(el('receiver-org', { ref: t.receiver.ref, 'receiver-activity-id': t.receiver.activityId }, t.receiver.zh, t.receiver.en, i));
  parts.push('    </transaction>');
  return parts.join('\n');
}

/** The namespace of Boai's own attributes on <iati-activities> (the schema allows ##other attributes there). */
export const BOAI_LEDGER_NS = 'urn:boai:ledger:v1';

/**
 * The file as a sequence of chunks (one per transaction at most), so that a large export streams
 * to the client instead of becoming one string: V8 cannot hold a string past ~512 MB, which an IATI
 * file of a million transactions exceeds.
 */
export function* iatiChunks(checkpoint: ExportCheckpoint, opts: IatiOptions, projects: readonly ExportProject[], events: readonly LedgerEvent[]): Generator<string> {
  const byId = new Map(projects.map((p) => [p.id, p]));
  const { byActivity, idOf } = iatiTransactions(events, opts, byId);
  const stamp = checkpoint.createdAt;
  yield [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- 由博爱平台账本检查点生成 / Generated from Boai ledger checkpoint: tree_size=${checkpoint.treeSize} root_hash=${checkpoint.rootHash}. Only entries with index < tree_size are included; transaction/@ref is the ledger index. -->`,
    `<iati-activities version="2.03" generated-datetime="${stamp}" xmlns:boai="${BOAI_LEDGER_NS}" boai:checkpoint-size="${checkpoint.treeSize}" boai:root-hash="${xmlEscape(checkpoint.rootHash)}">\n`,
  ].join('\n');
  const reporting = el('reporting-org', { ref: opts.orgRef, type: opts.orgType }, opts.orgNameZh, opts.orgNameEn, '    ');
  const accountable = el('participating-org', { ref: opts.orgRef, type: opts.orgType, role: '2' }, opts.orgNameZh, opts.orgNameEn, '    ');
  function* activity(key: string, p: ExportProject | null): Generator<string> {
    const txs = byActivity.get(key) ?? [];
    const firstTx = txs.reduce<string | null>((m, t) => (m === null || t.date < m ? t.date : m), null);
    const dates: string[] = [];
    if (p?.periodStart) dates.push(`    <activity-date type="1" iso-date="${p.periodStart}"/>`);
    const actualStart = p ? p.createdOn : (firstTx ?? stamp.slice(0, 10));
    dates.push(`    <activity-date type="2" iso-date="${actualStart}"/>`);
    if (p?.periodEnd) dates.push(`    <activity-date type="3" iso-date="${p.periodEnd}"/>`);
    yield [
      `  <iati-activity last-updated-datetime="${stamp}" xml:lang="zh" default-currency="CNY" humanitarian="1">`,
      `    <iati-identifier>${xmlEscape(idOf(key))}</iati-identifier>`,
      reporting,
      el('title', {}, p ? p.name : '非定向资金（未指定用途的捐赠）', p ? null : 'General (unearmarked) fund', '    '),
      el('description', { type: '1' }, p ? (p.summary ?? p.name) : '未指定项目的捐赠及其向项目的分配与拨付', p ? null : 'Gifts not earmarked to a project, their allocation to projects and disbursements', '    '),
      accountable,
      ...(p ? [el('participating-org', { role: '4' }, p.unitName, null, '    ')] : []),
      `    <activity-status code="${p ? (STATUS_CODE[p.status] ?? '2') : '2'}"/>`,
      ...dates,
      `    <recipient-country code="CN" percentage="100"/>`,
      `    <sector vocabulary="1" code="${p ? (SECTOR_BY_CATEGORY[p.category] ?? '16010') : '72010'}" percentage="100"/>`,
      `    <default-finance-type code="110"/>\n`,
    ].join('\n');
    for (const t of txs) yield txXml(t) + '\n';
    yield '  </iati-activity>\n';
  }
  yield* activity(GENERAL, null);
  for (const p of [...projects].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))) yield* activity(p.id, p);
  yield '</iati-activities>\n';
}

export function buildIatiXml(checkpoint: ExportCheckpoint, opts: IatiOptions, projects: readonly ExportProject[], events: readonly LedgerEvent[]): string {
  return [...iatiChunks(checkpoint, opts, projects, events)].join('');
}
