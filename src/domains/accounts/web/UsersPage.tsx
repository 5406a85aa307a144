import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Col, Dropdown, Form, Input, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { MenuProps, TableColumnsType } from 'antd';
import { DownOutlined, PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import type { Role, User } from '../accounts.contract.ts';
import { useHasPermission, useMe } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useOrgDetail } from '../../orgs/web/orgs.api.ts';
import { UnitTreeSelect } from '../../orgs/web/UnitTreeSelect.tsx';
import { useRoles, useUserAction, useUsers, type OneTimePasswordResult, type UserFilters } from './accounts.api.ts';
import { accountsMessages as m } from './accounts.messages.ts';
import { OneTimePasswordModal } from './OneTimePasswordModal.tsx';
import { UserFormDrawer } from './UserFormDrawer.tsx';

const STATUS = ['active', 'disabled'] as const;

function filtersFrom(params: URLSearchParams): UserFilters {
  const status = params.get('status');
  return {
    q: params.get('q') || undefined,
    unitId: params.get('unitId') || undefined,
    status: status === 'active' || status === 'disabled' ? status : undefined,
    role: params.get('role') || undefined,
  };
}

export function roleLabel(roles: Role[] | undefined, code: string, lang: string): string {
  const r = roles?.find((x) => x.code === code);
  return r ? (lang === 'en' ? r.nameEn : r.nameZh) : code;
}

export function UserStatusTags({ user }: { user: User }) {
  const { t } = useI18n();
  return (
    <Space size={[4, 4]} wrap>
      {user.status === 'active' ? <Tag color="success">{t(m.statusActive)}</Tag> : <Tag color="default">{t(m.statusDisabled)}</Tag>}
      {user.locked && <Tag color="error">{t(m.statusLocked)}</Tag>}
      {user.mustChangePassword && <Tag color="warning">{t(m.statusMustChange)}</Tag>}
      {user.totpEnabled && <Tag color="blue">{t(m.totpTag)}</Tag>}
    </Space>
  );
}

/** 用户管理: users of the caller's jurisdiction, filters in the address bar so a view can be shared. */
export function UsersPage() {
  const me = useMe();
  const { t, lang } = useI18n();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const can = useHasPermission();
  const manage = can('accounts.users.manage');
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const users = useUsers(filters);
  const roles = useRoles(can('accounts.roles.read'));
  const filterUnit = useOrgDetail(filters.unitId && can('orgs.read') ? filters.unitId : null);
  const action = useUserAction();
  const [form] = Form.useForm<UserFilters>();
  const [drawer, setDrawer] = useState<{ mode: 'create' } | { mode: 'edit'; user: User } | null>(null);
  const [otp, setOtp] = useState<OneTimePasswordResult | null>(null);

  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];

  const applyFilters = (v: UserFilters) => {
    const next = new URLSearchParams();
    if (v.q?.trim()) next.set('q', v.q.trim());
    if (v.unitId) next.set('unitId', v.unitId);
    if (v.status) next.set('status', v.status);
    if (v.role) next.set('role', v.role);
    setParams(next);
  };

  const run = (u: User, kind: 'disable' | 'enable' | 'reset-password' | 'unlock') =>
    action.mutateAsync({ id: u.id, action: kind }).then(
      (result) => {
        if (kind === 'reset-password') setOtp(result as OneTimePasswordResult);
        else void message.success(t(kind === 'disable' ? m.disabled : kind === 'enable' ? m.enabled : m.unlocked));
      },
      (e: unknown) => report(e),
    );

  const onMore = (u: User): MenuProps['onClick'] => ({ key }) => {
    if (key === 'disable') {
      modal.confirm({
        title: t(m.confirmDisable, { name: u.displayName }),
        content: t(m.confirmDisableText),
        okText: t(m.disable),
        okButtonProps: { danger: true },
        cancelText: t(common.cancel),
        onOk: () => run(u, 'disable'),
      });
    } else if (key === 'reset-password') {
      modal.confirm({
        title: t(m.confirmReset, { name: u.displayName }),
        content: t(m.confirmResetText),
        okText: t(m.resetPassword),
        okButtonProps: { danger: true },
        cancelText: t(common.cancel),
        onOk: () => run(u, 'reset-password'),
      });
    } else if (key === 'enable' || key === 'unlock') {
      void run(u, key);
    }
  };

  const columns: TableColumnsType<User> = [
    { title: t(m.username), dataIndex: 'username', width: 200, render: (v: string) => <span className="boai-mono">{v}</span> },
    { title: t(m.displayName), dataIndex: 'displayName', width: 220 },
    { title: t(m.unit), dataIndex: 'unitName', width: 120 },
    {
      title: t(m.roles),
      dataIndex: 'roles',
      render: (codes: string[]) => (
        <Space size={[4, 4]} wrap>
          {codes.map((c) => (
            <Tag key={c} color="geekblue">
              {roleLabel(roles.data, c, lang)}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t(m.status), key: 'status', width: 170, render: (_v, u) => <UserStatusTags user={u} /> },
    { title: t(m.lastLogin), dataIndex: 'lastLoginAt', width: 170, render: (v: string | null) => formatDateTime(v, lang) },
  ];
  if (manage) {
    columns.push({
      title: t(common.actions),
      key: 'actions',
      width: 150,
      fixed: 'right',
      render: (_v, u) => {
        const self = u.id === me.user.id;
        const items: MenuProps['items'] = [
          u.status === 'active'
            ? { key: 'disable', label: t(m.disable), danger: true, disabled: self }
            : { key: 'enable', label: t(m.enable) },
          { key: 'reset-password', label: t(m.resetPassword) },
          ...(u.locked ? [{ key: 'unlock', label: t(m.unlock) }] : []),
        ];
        return (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => setDrawer({ mode: 'edit', user: u })}>
              {t(common.edit)}
            </Button>
            <Dropdown menu={{ items, onClick: onMore(u) }} trigger={['click']}>
              <Button type="link" size="small">
                {t(common.more)} <DownOutlined />
              </Button>
            </Dropdown>
          </Space>
        );
      },
    });
  }

  return (
    <Space orientation="vertical" size="middle" className="boai-block">
      <Card className="boai-search-card" size="small">
        <Form<UserFilters>
          form={form}
          layout="vertical"
          initialValues={filters}
          key={params.toString()}
          onFinish={applyFilters}
        >
          <Row gutter={16} align="bottom">
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="q" label={t(m.searchQ)}>
                <Input allowClear placeholder={t(m.searchQPlaceholder)} maxLength={40} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="unitId" label={t(m.unit)}>
                <UnitTreeSelect allowClear label={filterUnit.data?.name} placeholder={t(m.unitPlaceholder)} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={3}>
              <Form.Item name="status" label={t(m.status)}>
                <Select allowClear placeholder={t(common.all)} options={STATUS.map((s) => ({ value: s, label: t(s === 'active' ? m.statusActive : m.statusDisabled) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={4}>
              <Form.Item name="role" label={t(m.role)}>
                <Select
                  allowClear
                  placeholder={t(common.all)}
                  loading={roles.isPending && roles.fetchStatus !== 'idle'}
                  options={(roles.data ?? []).map((r) => ({ value: r.code, label: lang === 'en' ? r.nameEn : r.nameZh }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} lg={5}>
              <Form.Item>
                <Space>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                    {t(common.search)}
                  </Button>
                  <Button onClick={() => setParams(new URLSearchParams())}>{t(common.reset)}</Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card size="small">
        <div className="boai-toolbar">
          <span className="boai-toolbar-title">{t(m.usersTitle)}</span>
          <Space>
            <Tooltip title={t(common.refresh)}>
              <Button icon={<ReloadOutlined />} onClick={() => void users.refetch()} loading={users.isRefetching} aria-label={t(common.refresh)} />
            </Tooltip>
            {manage && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ mode: 'create' })}>
                {t(m.newUser)}
              </Button>
            )}
          </Space>
        </div>
        {users.isError && <Alert type="error" showIcon title={users.error.message} style={{ marginBottom: 12 }} />}
        <Table<User>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={users.isPending || (users.isFetching && !users.isFetchingNextPage)}
          pagination={false}
          scroll={{ x: 1150 }}
        />
        <div className="boai-load-more">
          <Typography.Text type="secondary">
            {users.hasNextPage ? t(common.loaded, { count: rows.length }) : t(common.allLoaded, { count: rows.length })}
          </Typography.Text>
          {users.hasNextPage && (
            <Button onClick={() => void users.fetchNextPage()} loading={users.isFetchingNextPage}>
              {t(common.loadMore)}
            </Button>
          )}
        </div>
      </Card>
      {drawer && (
        <UserFormDrawer
          user={drawer.mode === 'edit' ? drawer.user : null}
          roles={roles.data ?? []}
          onClose={() => setDrawer(null)}
          onCreated={(r) => setOtp(r)}
        />
      )}
      {otp && <OneTimePasswordModal username={otp.user.username} password={otp.oneTimePassword} expiresAt={otp.expiresAt} onClose={() => setOtp(null)} />}
    </Space>
  );
}
