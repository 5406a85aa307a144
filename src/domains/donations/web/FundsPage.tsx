import { useState } from 'react';
import { Alert, App, Button, Card, Col, Drawer, Form, Input, Row, Select, Space, Statistic, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { PrinterOutlined, ReloadOutlined, SendOutlined, SwapOutlined } from '@ant-design/icons';
import type { CreateAllocation, Fund } from '../donations.contract.ts';
import { newIdempotencyKey } from '../../../web/api.ts';
import { useHasPermission, useMe } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useAllocate, useFunds } from './donations.api.ts';
import { donationsMessages as m } from './donations.messages.ts';
import { AmountWords, DateInput, fenOf, Money, ProjectSelect, todayShanghai, useUnitNames, yuanRules } from './donations.shared.tsx';
import { DisbursementDrawer } from './DisbursementDrawer.tsx';
import { FUND_KIND, isAsset } from './fund-kinds.ts';
import { formatMoney, formatYuan } from './money.ts';
import './donations.print.css';

const sum = (fs: Fund[]) => fs.reduce((s, f) => s + f.balanceFen, 0);

type AllocationForm = { fundId?: string; projectId?: string; amount?: string; decidedBy?: string; decidedOn?: string; reason?: string; document?: string };

function AllocationDrawer({ funds, fundId, onClose }: { funds: Fund[]; fundId: string | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const allocate = useAllocate();
  const [form] = Form.useForm<AllocationForm>();
  const [key] = useState(newIdempotencyKey);
  const [projectName, setProjectName] = useState<string | undefined>();
  const amount: string | undefined = Form.useWatch('amount', form);
  const chosen: string | undefined = Form.useWatch('fundId', form) ?? fundId;
  const from = funds.find((f) => f.id === chosen);
  const available = from?.balanceFen ?? 0;
  const units = useUnitNames(funds.map((f) => f.unitId));

  const submit = (v: AllocationForm) => {
    const body: CreateAllocation = {
      projectId: v.projectId!,
      amountFen: fenOf(v.amount),
      decidedBy: v.decidedBy!.trim(),
      decidedOn: v.decidedOn!,
      reason: v.reason!.trim(),
      document: v.document?.trim() ? v.document.trim() : null,
      unitId: funds.find((f) => f.id === v.fundId)!.unitId,
    };
    allocate.mutate(
      { body, key },
      {
        onSuccess: (a) => {
          void message.success(t(m.allocated, { amount: formatYuan(a.amountFen), project: projectName ?? '' }));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );
  };

  return (
    <Drawer
      open
      size={640}
      title={t(m.allocateTitle)}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="allocation-drawer"
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t(common.cancel)}</Button>
          <Button type="primary" loading={allocate.isPending} onClick={() => form.submit()} data-testid="allocation-save">
            {t(common.submit)}
          </Button>
        </Space>
      }
    >
      <Form<AllocationForm>
        form={form}
        layout="vertical"
        name="allocation"
        autoComplete="off"
        initialValues={{ fundId, decidedOn: todayShanghai() }}
        onFinish={submit}
        onValuesChange={(changed: Partial<AllocationForm>) => {
          if (changed.fundId && form.getFieldValue('amount')) void form.validateFields(['amount']);
        }}
      >
        <Form.Item name="fundId" label={t(m.fund)} rules={[{ required: true, message: t(m.fundRequired) }]} extra={from ? t(m.available, { amount: formatYuan(available) }) : undefined}>
          <Select
            options={funds.map((f) => ({ value: f.id, disabled: f.balanceFen <= 0, label: `${units.get(f.unitId) ?? ''} · ${f.name} · ${formatMoney(f.balanceFen)}` }))}
            data-testid="allocation-fund"
          />
        </Form.Item>
        <Form.Item name="projectId" label={t(m.project)} rules={[{ required: true, message: t(m.projectRequired) }]}>
          <ProjectSelect fundraisingOnly placeholder={t(m.projectPlaceholder)} onChange={(_v, name) => setProjectName(name)} testId="allocation-project" />
        </Form.Item>
        <Form.Item name="amount" label={t(m.amountYuan)} validateTrigger={['onChange', 'onBlur']} rules={yuanRules(t, available)} extra={<AmountWords value={amount} />}>
          <Input prefix="¥" inputMode="decimal" maxLength={20} data-testid="allocation-amount" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={14}>
            <Form.Item name="decidedBy" label={t(m.decidedBy)} rules={[{ required: true, whitespace: true, message: t(m.decidedByRequired) }, { max: 100 }]}>
              <Input maxLength={100} placeholder={t(m.decidedByPlaceholder)} data-testid="allocation-decided-by" />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="decidedOn" label={t(m.decidedOn)} rules={[{ required: true, message: t(m.decidedOnRequired) }]}>
              <DateInput />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="reason" label={t(m.reason)} rules={[{ required: true, whitespace: true, message: t(m.reasonRequired) }, { max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="allocation-reason" />
        </Form.Item>
        <Form.Item name="document" label={t(m.document)} rules={[{ max: 200 }]}>
          <Input maxLength={200} placeholder={t(m.documentPlaceholder)} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/** 资金账户: where the money is (bank, cash) and what it is for (unrestricted, projects, named beneficiaries). */
export function FundsPage() {
  const { t } = useI18n();
  const can = useHasPermission();
  const me = useMe();
  const funds = useFunds();
  const [allocating, setAllocating] = useState<{ fundId: string | undefined } | null>(null);
  const [disbursing, setDisbursing] = useState<Fund | null>(null);
  const own = me.user.unitId;
  // The caller's own unit first, then the units below it.
  const all = [...(funds.data ?? [])].sort((a, b) => Number(b.unitId === own) - Number(a.unitId === own));
  const units = useUnitNames(all.map((f) => f.unitId));
  const unrestrictedFunds = all.filter((f) => f.kind === 'unrestricted');
  const ownUnrestricted = unrestrictedFunds.find((f) => f.unitId === own && f.balanceFen > 0) ?? unrestrictedFunds.find((f) => f.balanceFen > 0);
  const assets = all.filter(isAsset);
  const sources = all.filter((f) => !isAsset(f));
  const unrestricted = sum(all.filter((f) => f.kind === 'unrestricted'));

  const columns = (withActions: boolean): TableColumnsType<Fund> => [
    { title: t(m.unit), dataIndex: 'unitId', width: 160, render: (v: string) => units.get(v) ?? '—' },
    { title: t(m.fundName), dataIndex: 'name', render: (v: string) => <span data-testid="fund-name">{v}</span> },
    { title: t(m.fundKind), dataIndex: 'kind', width: 120, render: (k: Fund['kind']) => <Tag color={FUND_KIND[k].color}>{t(FUND_KIND[k].label)}</Tag> },
    { title: t(m.balance), dataIndex: 'balanceFen', width: 180, align: 'right', render: (v: number) => <Money fen={v} /> },
    ...(withActions
      ? [
          {
            title: t(common.actions),
            key: 'a',
            width: 200,
            className: 'don-no-print',
            render: (_v: unknown, f: Fund) => (
              <Space size={0}>
                {f.kind === 'unrestricted' && can('donations.allocate') && (
                  <Button type="link" size="small" icon={<SwapOutlined />} disabled={f.balanceFen <= 0} onClick={() => setAllocating({ fundId: f.id })} data-testid="fund-allocate">
                    {t(m.allocate)}
                  </Button>
                )}
                {can('donations.disburse') && (
                  <Button type="link" size="small" icon={<SendOutlined />} disabled={f.balanceFen <= 0} onClick={() => setDisbursing(f)} data-testid="fund-disburse">
                    {t(m.disburseFrom)}
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" size="middle" className="boai-block don-list-print" data-testid="funds-page">
      <div className="don-print-only don-list-print-title">
        {me.user.unitName} · {t(m.fundsTitle)}
        <span>{t(m.printedAt, { date: todayShanghai() })}</span>
      </div>
      <Card>
        <Row gutter={16}>
          <Col xs={12} md={6}>
            <Statistic title={t(m.totalAssets)} value={formatYuan(sum(assets))} prefix="¥" />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t(m.totalUnrestricted)} value={formatYuan(unrestricted)} prefix="¥" />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t(m.totalProject)} value={formatYuan(sum(all.filter((f) => f.kind === 'project')))} prefix="¥" />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t(m.totalDesignated)} value={formatYuan(sum(all.filter((f) => f.kind === 'designated')))} prefix="¥" />
          </Col>
        </Row>
      </Card>
      <Card>
        <div className="boai-toolbar">
          <span className="boai-toolbar-title">{t(m.fundsSources)}</span>
          <Space wrap className="don-no-print">
            <Tooltip title={t(common.refresh)}>
              <Button icon={<ReloadOutlined />} onClick={() => void funds.refetch()} loading={funds.isRefetching} aria-label={t(common.refresh)} />
            </Tooltip>
            {can('donations.allocate') && (
              <Button type="primary" icon={<SwapOutlined />} disabled={unrestricted <= 0} onClick={() => setAllocating({ fundId: ownUnrestricted?.id })} data-testid="allocate">
                {t(m.allocate)}
              </Button>
            )}
            <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
              {t(m.print)}
            </Button>
          </Space>
        </div>
        {funds.isError && <Alert type="error" showIcon title={funds.error.message} style={{ marginBottom: 12 }} />}
        <Table<Fund> rowKey="id" size="middle" columns={columns(true)} dataSource={sources} loading={funds.isPending} pagination={false} locale={{ emptyText: t(m.noFunds) }} data-testid="funds-table" />
      </Card>
      <Card title={t(m.fundsAssets)}>
        <Table<Fund> rowKey="id" size="middle" columns={columns(false)} dataSource={assets} loading={funds.isPending} pagination={false} locale={{ emptyText: t(m.noFunds) }} data-testid="assets-table" />
      </Card>
      {allocating && <AllocationDrawer funds={unrestrictedFunds} fundId={allocating.fundId} onClose={() => setAllocating(null)} />}
      {disbursing && <DisbursementDrawer funds={sources} fundId={disbursing.id} onClose={() => setDisbursing(null)} />}
    </Space>
  );
}
