import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Col, Descriptions, Dropdown, Empty, Row, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { MenuProps, TableColumnsType } from 'antd';
import { DeleteOutlined, DownOutlined, EditOutlined, ExportOutlined, EyeOutlined, MergeCellsOutlined, PlusOutlined, UserOutlined } from '@ant-design/icons';
import { consentPurposeLabels, idTypeLabels, sexLabels, type Consent, type PersonDetail } from '../people.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDate, formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { AttachmentsCard } from '../../attachments/web/AttachmentsCard.tsx';
import { GiveConsentModal, WithdrawConsentModal } from './ConsentModals.tsx';
import { EraseModal } from './EraseModal.tsx';
import { MergeModal } from './MergeModal.tsx';
import { downloadPersonData, usePerson } from './people.api.ts';
import { peopleMessages as m } from './people.messages.ts';
import { PersonFormDrawer } from './PersonFormDrawer.tsx';
import { AgeCell, ErasedTag, Masked, MinorTag } from './PersonTags.tsx';
import { UnmaskModal } from './UnmaskModal.tsx';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';

type Dialog = 'edit' | 'unmask' | 'erase' | 'merge' | 'consent' | { withdraw: Consent } | null;

/** 人员详情: one person, masked, with consents, roles, units and attachments, and the data-subject actions. */
export function PersonPage() {
  const { id } = useParams<{ id: string }>();
  const { t, lang } = useI18n();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const navigate = useNavigate();
  const can = useHasPermission();
  const q = usePerson(id);
  const [dialog, setDialog] = useState<Dialog>(null);

  if (!q.isSuccess) return <QueryFallback q={q} notFoundTitle={t(m.notFound)} back={{ to: "/people", label: t(m.backToList) }} />;
  const p: PersonDetail = q.data;
  const erased = p.erased;
  const writable = can('people.write') && !erased;

  const more: MenuProps['items'] = [
    ...(can('people.erase') || can('people.view_full') ? [{ key: 'export', icon: <ExportOutlined />, label: t(m.dataExport) }] : []),
    ...(can('people.merge') && !erased ? [{ key: 'merge', icon: <MergeCellsOutlined />, label: t(m.merge) }] : []),
    ...(can('people.erase') && !erased ? [{ type: 'divider' as const }, { key: 'erase', icon: <DeleteOutlined />, label: t(m.erase), danger: true }] : []),
  ];
  const onMore: MenuProps['onClick'] = ({ key }) => {
    if (key === 'export') {
      modal.confirm({
        title: t(m.dataExportTitle),
        content: t(m.dataExportText),
        okText: t(m.dataExport),
        cancelText: t(common.cancel),
        onOk: () => downloadPersonData(p.id).then(() => void message.success(t(m.dataExported)), (e: unknown) => report(e)),
      });
    } else if (key === 'merge') setDialog('merge');
    else if (key === 'erase') setDialog('erase');
  };

  const consentColumns: TableColumnsType<Consent> = [
    { title: t(m.purpose), dataIndex: 'purpose', width: 170, render: (v: Consent['purpose']) => t(consentPurposeLabels[v]) },
    { title: t(m.scope), dataIndex: 'scope', width: 240, ellipsis: { showTitle: true } },
    {
      title: t(m.givenBy),
      key: 'givenBy',
      width: 110,
      render: (_v, c) => (c.givenBy === 'guardian' ? `${t(m.givenByGuardian)}${c.guardianName ? ` ${c.guardianName}` : ''}` : t(m.givenBySelf)),
    },
    { title: t(m.givenAt), dataIndex: 'givenAt', width: 105, render: (v: string) => formatDate(v, lang) },
    { title: t(m.evidence), dataIndex: 'evidence', width: 130, ellipsis: { showTitle: true }, render: (v: string | null) => v ?? '—' },
    {
      title: t(m.consentStatus),
      key: 'status',
      width: 80,
      render: (_v, c) =>
        c.withdrawnAt ? (
          <Tooltip title={`${formatDate(c.withdrawnAt, lang)} ${c.withdrawnReason ?? ''}`}>
            <Tag>{t(m.consentWithdrawn)}</Tag>
          </Tooltip>
        ) : (
          <Tag color="success">{t(m.consentActive)}</Tag>
        ),
    },
    ...(writable
      ? [
          {
            title: t(common.actions),
            key: 'actions',
            width: 80,
            render: (_v: unknown, c: Consent) =>
              !c.withdrawnAt && (
                <Button type="link" size="small" danger onClick={() => setDialog({ withdraw: c })}>
                  {t(m.withdraw)}
                </Button>
              ),
          },
        ]
      : []),
  ];

  const otherRoles = p.roles.filter((r) => r.domain !== 'people');

  return (
    <Space orientation="vertical" size="middle" className="boai-block" data-testid="person-page">
      <Card>
        <div className="boai-person-head">
          <Space size="middle" align="start">
            <div className="boai-person-avatar">
              <UserOutlined />
            </div>
            <div>
              <Space size={8} wrap>
                <Typography.Title level={4} className="boai-person-name" data-testid="person-name">
                  {p.name}
                </Typography.Title>
                {erased ? <ErasedTag /> : <Tag>{t(sexLabels[p.sex])}</Tag>}
                {p.age !== null && <Tag>{t(m.ageValue, { age: p.age })}</Tag>}
                <MinorTag minor={p.minor} />
              </Space>
              <Typography.Text type="secondary" className="boai-person-sub">
                {t(idTypeLabels[p.idType])} {p.idNumberMasked ?? ''} · {t(m.unit)} {p.unitName} · {t(m.createdAt)} {formatDateTime(p.createdAt, lang)}
              </Typography.Text>
            </div>
          </Space>
          <Space wrap>
            {writable && (
              <Button icon={<EditOutlined />} onClick={() => setDialog('edit')}>
                {t(common.edit)}
              </Button>
            )}
            {can('people.view_full') && !erased && (
              <Tooltip title={t(m.viewFullHint)}>
                <Button type="primary" icon={<EyeOutlined />} onClick={() => setDialog('unmask')}>
                  {t(m.viewFull)}
                </Button>
              </Tooltip>
            )}
            {more.length > 0 && (
              <Dropdown menu={{ items: more, onClick: onMore }} trigger={['click']}>
                <Button>
                  {t(common.more)} <DownOutlined />
                </Button>
              </Dropdown>
            )}
          </Space>
        </div>
      </Card>

      {erased && <Alert type="warning" showIcon title={t(m.erasedTitle)} description={t(m.erasedText)} data-testid="person-erased" />}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Space orientation="vertical" size="middle" className="boai-block">
            <Card title={t(m.basicInfo)}>
              <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
                <Descriptions.Item label={t(m.name)}>{p.name}</Descriptions.Item>
                <Descriptions.Item label={t(m.idType)}>{t(idTypeLabels[p.idType])}</Descriptions.Item>
                <Descriptions.Item label={t(m.idNumberMasked)}>
                  <Masked value={p.idNumberMasked} />
                </Descriptions.Item>
                <Descriptions.Item label={t(m.sex)}>{t(sexLabels[p.sex])}</Descriptions.Item>
                <Descriptions.Item label={t(m.age)}>
                  <AgeCell person={p} />
                </Descriptions.Item>
                <Descriptions.Item label={t(m.mobileMasked)}>
                  <Masked value={p.mobileMasked} />
                </Descriptions.Item>
                <Descriptions.Item label={t(m.address)} span={2}>
                  {p.address ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t(m.homeUnit)}>{p.homeUnitName ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t(m.unit)}>{p.unitName}</Descriptions.Item>
                <Descriptions.Item label={t(m.createdAt)}>{formatDateTime(p.createdAt, lang)}</Descriptions.Item>
                <Descriptions.Item label={t(m.updatedAt)}>{formatDateTime(p.updatedAt, lang)}</Descriptions.Item>
                <Descriptions.Item label={t(m.notes)} span={2}>
                  {p.notes ?? '—'}
                </Descriptions.Item>
              </Descriptions>
            </Card>

            <Card
              title={t(m.consents)}
              extra={
                writable && (
                  <Button icon={<PlusOutlined />} onClick={() => setDialog('consent')}>
                    {t(m.giveConsent)}
                  </Button>
                )
              }
              data-testid="consents"
            >
              <Typography.Paragraph type="secondary">{t(m.consentsHint)}</Typography.Paragraph>
              <Table<Consent>
                rowKey="id"
                size="small"
                columns={consentColumns}
                dataSource={p.consents}
                pagination={false}
                scroll={{ x: 900 }}
                locale={{ emptyText: t(m.noConsents) }}
              />
            </Card>

            {id && <AttachmentsCard ownerType="person" ownerId={id} writable={writable} />}
          </Space>
        </Col>

        <Col xs={24} xl={8}>
          <Space orientation="vertical" size="middle" className="boai-block">
            <Card title={t(m.guardianSection)} size="small">
              {p.guardian ? (
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label={t(m.name)}>
                    <Link to={`/people/${p.guardian.personId}`}>{p.guardian.name}</Link>
                  </Descriptions.Item>
                  <Descriptions.Item label={t(m.relation)}>{p.guardian.relation}</Descriptions.Item>
                </Descriptions>
              ) : p.minor === 'under14' && !erased ? (
                <Alert type="warning" showIcon title={t(m.guardianNeeded)} />
              ) : (
                <Typography.Text type="secondary">{t(m.guardianNone)}</Typography.Text>
              )}
            </Card>

            <Card title={t(m.roles)} size="small" data-testid="roles">
              {p.roles.length > 0 && (
                <Space orientation="vertical" size={6} className="boai-block">
                  {p.roles.map((r) => (
                    <div key={`${r.domain}.${r.role}.${r.unitId}.${r.refId ?? ''}`} className="boai-role-row">
                      <Tag color={r.domain === 'people' ? 'blue' : 'purple'}>{lang === 'en' ? r.label.en : r.label.zh}</Tag>
                      <span>{r.unitName}</span>
                      <Typography.Text type="secondary">
                        {t(m.roleSince)} {formatDate(r.since, lang)}
                      </Typography.Text>
                    </div>
                  ))}
                </Space>
              )}
              {otherRoles.length === 0 && (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(m.rolesLater)} className="boai-compact-empty" />
              )}
            </Card>

            <Card title={t(m.linkedUnits)} size="small">
              <Space orientation="vertical" size={6}>
                <span>
                  <Tag color="red">{t(m.registeringUnit)}</Tag>
                  {p.unitName}
                </span>
                {p.linkedUnits.length === 0 ? (
                  <Typography.Text type="secondary">{t(m.linkedUnitsNone)}</Typography.Text>
                ) : (
                  p.linkedUnits.map((u) => (
                    <span key={u.unitId}>
                      <Tag>{t(m.linkedTag)}</Tag>
                      {u.unitName}
                    </span>
                  ))
                )}
              </Space>
            </Card>
          </Space>
        </Col>
      </Row>

      {dialog === 'edit' && <PersonFormDrawer person={p} onClose={() => setDialog(null)} />}
      {dialog === 'unmask' && <UnmaskModal person={p} onClose={() => setDialog(null)} />}
      {dialog === 'erase' && <EraseModal person={p} onClose={() => setDialog(null)} />}
      {dialog === 'consent' && <GiveConsentModal person={p} onClose={() => setDialog(null)} />}
      {dialog && typeof dialog === 'object' && <WithdrawConsentModal personId={p.id} consent={dialog.withdraw} onClose={() => setDialog(null)} />}
      {dialog === 'merge' && (
        <MergeModal
          person={p}
          onClose={() => setDialog(null)}
          onMerged={(kept) => {
            setDialog(null);
            if (kept.id !== p.id) void navigate(`/people/${kept.id}`, { replace: true });
          }}
        />
      )}
    </Space>
  );
}
