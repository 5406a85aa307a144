import { useState } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { Alert, App, Breadcrumb, Button, Card, Descriptions, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { allowedChildKinds, POPULATION_KINDS, populationKindLabels, type OrgUnitDetail, type Population } from '../orgs.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime, formatInteger, labelled } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useDeletePopulation, useDeleteUnit } from './orgs.api.ts';
import { orgsMessages as m } from './orgs.messages.ts';
import { KindTag } from './OrgTags.tsx';
import { PopulationModal } from './PopulationModal.tsx';
import { UnitFormDrawer } from './UnitFormDrawer.tsx';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';

const popKindColor: Record<Population['kind'], string> = { registered: 'blue', resident: 'green', census: 'purple' };

export function UnitDetail({ id, detail, onSelect }: { id: string; detail: UseQueryResult<OrgUnitDetail>; onSelect: (id: string) => void }) {
  const { t, lang } = useI18n();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const can = useHasPermission();
  const writable = can('orgs.write');
  const del = useDeleteUnit();
  const delPop = useDeletePopulation();
  const [drawer, setDrawer] = useState<'edit' | 'create' | null>(null);
  const [popEdit, setPopEdit] = useState<Population | 'new' | null>(null);

  if (!detail.isSuccess) return <QueryFallback q={detail} />;
  const unit = detail.data;
  if (unit.id !== id) return null;
  const childKinds = allowedChildKinds[unit.kind];

  const confirmDelete = () =>
    modal.confirm({
      title: t(m.confirmDelete, { name: unit.name }),
      content: t(m.confirmDeleteText),
      okText: t(common.delete),
      okButtonProps: { danger: true },
      cancelText: t(common.cancel),
      onOk: () =>
        del.mutateAsync(unit.id).then(
          () => {
            void message.success(t(common.deleted));
            if (unit.parentId) onSelect(unit.parentId);
          },
          (e: unknown) => report(e),
        ),
    });

  const populations = [...unit.populations].sort(
    (a, b) => b.year - a.year || POPULATION_KINDS.indexOf(a.kind) - POPULATION_KINDS.indexOf(b.kind),
  );
  const columns: TableColumnsType<Population> = [
    { title: t(m.year), dataIndex: 'year', width: 72 },
    { title: t(m.popKind), dataIndex: 'kind', width: 130, render: (k: Population['kind']) => <Tag color={popKindColor[k]}>{t(populationKindLabels[k])}</Tag> },
    { title: t(m.value), dataIndex: 'value', align: 'right', width: 120, render: (v: number) => formatInteger(v, lang) },
    {
      title: t(m.source),
      dataIndex: 'source',
      render: (v: string, p) => (
        <Tooltip title={labelled(t(m.updatedAt), formatDateTime(p.updatedAt, lang), lang)}>
          <span>{v}</span>
        </Tooltip>
      ),
    },
    { title: t(m.note), dataIndex: 'note', width: 180, render: (v: string | null) => v ?? '' },
  ];
  if (writable) {
    columns.push({
      title: t(common.actions),
      key: 'actions',
      width: 120,
      fixed: 'right',
      render: (_v, p) => (
        <Space size={4}>
          <Button type="link" size="small" onClick={() => setPopEdit(p)}>
            {t(common.edit)}
          </Button>
          <Button
            type="link"
            size="small"
            danger
            onClick={() =>
              modal.confirm({
                title: t(m.confirmDeletePopulation, { year: p.year, kind: t(populationKindLabels[p.kind]) }),
                content: t(common.irreversible),
                okText: t(common.delete),
                okButtonProps: { danger: true },
                cancelText: t(common.cancel),
                onOk: () =>
                  delPop.mutateAsync({ unitId: unit.id, year: p.year, kind: p.kind }).then(
                    () => void message.success(t(common.deleted)),
                    (e: unknown) => report(e),
                  ),
              })
            }
          >
            {t(common.delete)}
          </Button>
        </Space>
      ),
    });
  }

  return (
    <Space orientation="vertical" size="middle" className="boai-block">
      <Card
        title={
          <Space wrap>
            <span>{unit.name}</span>
            <KindTag kind={unit.kind} />
            {unit.synthetic && (
              <Tooltip title={t(m.syntheticHint)}>
                <Tag>{t(common.demo)}</Tag>
              </Tooltip>
            )}
          </Space>
        }
        extra={
          writable ? (
            <Space wrap>
              <Button icon={<EditOutlined />} onClick={() => setDrawer('edit')}>
                {t(common.edit)}
              </Button>
              <Tooltip title={childKinds.length === 0 ? t(m.noChildKinds) : undefined}>
                <Button type="primary" icon={<PlusOutlined />} disabled={childKinds.length === 0} onClick={() => setDrawer('create')}>
                  {t(m.addChild)}
                </Button>
              </Tooltip>
              <Button danger icon={<DeleteOutlined />} onClick={confirmDelete}>
                {t(common.delete)}
              </Button>
            </Space>
          ) : (
            <Tag>{t(m.readOnly)}</Tag>
          )
        }
      >
        {unit.ancestors.length > 0 && (
          <Breadcrumb
            style={{ marginBottom: 12 }}
            items={[
              ...unit.ancestors.map((a) => ({
                title: (
                  <Typography.Link onClick={() => onSelect(a.id)} data-testid="unit-ancestor">
                    {a.name}
                  </Typography.Link>
                ),
              })),
              { title: unit.name },
            ]}
          />
        )}
        {unit.synthetic && <Alert type="info" showIcon title={t(m.syntheticHint)} style={{ marginBottom: 12 }} />}
        <Descriptions bordered size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label={t(m.name)}>{unit.name}</Descriptions.Item>
          <Descriptions.Item label={t(m.shortName)}>{unit.shortName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t(m.code)}>{unit.code ? <span className="boai-mono">{unit.code}</span> : '—'}</Descriptions.Item>
          <Descriptions.Item label={t(m.kind)}>
            <KindTag kind={unit.kind} />
          </Descriptions.Item>
          <Descriptions.Item label={t(m.parent)}>{unit.ancestors.at(-1)?.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t(m.childCount)}>{unit.childCount}</Descriptions.Item>
          <Descriptions.Item label={t(m.sortOrder)}>{unit.sortOrder}</Descriptions.Item>
          <Descriptions.Item label={t(m.updatedAt)}>{formatDateTime(unit.updatedAt, lang)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        title={t(m.populations)}
        extra={
          writable && (
            <Button icon={<PlusOutlined />} onClick={() => setPopEdit('new')}>
              {t(m.addPopulation)}
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary">{t(m.populationsHint)}</Typography.Paragraph>
        <Table<Population>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={populations}
          pagination={false}
          scroll={{ x: 720 }}
          locale={{ emptyText: t(m.noPopulations) }}
        />
      </Card>
      {drawer && <UnitFormDrawer mode={drawer} unit={unit} onClose={() => setDrawer(null)} onCreated={(u) => onSelect(u.id)} />}
      {popEdit && <PopulationModal unitId={unit.id} population={popEdit === 'new' ? null : popEdit} onClose={() => setPopEdit(null)} />}
    </Space>
  );
}
