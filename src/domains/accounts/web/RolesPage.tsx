import { useState } from 'react';
import { Alert, App, Button, Card, Space, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { adminKindLabels, type Role } from '../accounts.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useDeleteRole, usePermissionCatalog, useRoles } from './accounts.api.ts';
import { accountsMessages as m } from './accounts.messages.ts';
import { adminKindColor, RoleDrawer } from './RoleDrawer.tsx';

/** 角色权限: the roles of the installation and what each may do. */
export function RolesPage() {
  const { t, lang } = useI18n();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const can = useHasPermission();
  const manage = can('accounts.roles.manage');
  const roles = useRoles();
  const catalog = usePermissionCatalog();
  const del = useDeleteRole();
  const [drawer, setDrawer] = useState<{ role: Role | null } | null>(null);

  const columns: TableColumnsType<Role> = [
    { title: t(m.roleCode), dataIndex: 'code', width: 150, render: (v: string) => <span className="boai-mono">{v}</span> },
    { title: t(m.roleName), key: 'name', width: 200, render: (_v, r) => (lang === 'en' ? r.nameEn : r.nameZh) },
    {
      title: t(m.adminKind),
      dataIndex: 'adminKind',
      width: 130,
      render: (k: Role['adminKind']) => (k ? <Tag color={adminKindColor[k]}>{t(adminKindLabels[k])}</Tag> : <Tag>{t(m.businessCategory)}</Tag>),
    },
    { title: t(m.description), dataIndex: 'description', ellipsis: { showTitle: true }, render: (v: string | null) => v ?? '' },
    { title: t(m.permissions), key: 'perms', width: 100, render: (_v, r) => t(m.permissionCount, { count: r.permissions.length }) },
    { title: t(m.userCount), dataIndex: 'userCount', width: 90, align: 'right' },
    {
      title: t(m.builtin),
      dataIndex: 'builtin',
      width: 90,
      render: (b: boolean) => (b ? <Tag color="blue">{t(m.builtin)}</Tag> : <Tag>{t(m.custom)}</Tag>),
    },
    {
      title: t(common.actions),
      key: 'actions',
      width: 140,
      fixed: 'right',
      render: (_v, r) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setDrawer({ role: r })}>
            {manage ? t(common.edit) : t(common.view)}
          </Button>
          {manage && (
            <Tooltip title={r.builtin ? t(m.builtinNoDelete) : r.userCount > 0 ? t(m.inUseNoDelete) : undefined}>
              <Button
                type="link"
                size="small"
                danger
                disabled={r.builtin || r.userCount > 0}
                onClick={() =>
                  modal.confirm({
                    title: t(m.confirmDeleteRole, { name: lang === 'en' ? r.nameEn : r.nameZh }),
                    content: t(common.irreversible),
                    okText: t(common.delete),
                    okButtonProps: { danger: true },
                    cancelText: t(common.cancel),
                    onOk: () =>
                      del.mutateAsync(r.id).then(
                        () => void message.success(t(common.deleted)),
                        (e: unknown) => report(e),
                      ),
                  })
                }
              >
                {t(common.delete)}
              </Button>
            </Tooltip>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card size="small">
      <div className="boai-toolbar">
        <span className="boai-toolbar-title">{t(m.rolesTitle)}</span>
        <Space>
          <Tooltip title={t(common.refresh)}>
            <Button icon={<ReloadOutlined />} onClick={() => void roles.refetch()} loading={roles.isRefetching} aria-label={t(common.refresh)} />
          </Tooltip>
          {manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ role: null })}>
              {t(m.newRole)}
            </Button>
          )}
        </Space>
      </div>
      <Alert type="info" showIcon title={t(m.separationTitle)} description={t(m.separationText)} style={{ marginBottom: 12 }} />
      {!manage && <Alert type="warning" showIcon title={t(m.readOnlyRoles)} style={{ marginBottom: 12 }} />}
      {roles.isError && <Alert type="error" showIcon title={roles.error.message} style={{ marginBottom: 12 }} />}
      <Table<Role> rowKey="id" size="middle" columns={columns} dataSource={roles.data ?? []} loading={roles.isPending} pagination={false} scroll={{ x: 1000 }} />
      {drawer && <RoleDrawer role={drawer.role} catalog={catalog.data ?? []} readOnly={!manage} onClose={() => setDrawer(null)} />}
    </Card>
  );
}
