import { Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { Avatar, Breadcrumb, Dropdown, Layout, Menu, Tag, Tooltip, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  AppstoreOutlined,
  ApartmentOutlined,
  DatabaseOutlined,
  FundOutlined,
  HeartOutlined,
  DownOutlined,
  HomeOutlined,
  IdcardOutlined,
  KeyOutlined,
  LockOutlined,
  LogoutOutlined,
  SettingOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useMe } from '../auth.tsx';
import { allMenuEntries, AREAS, routeByPath, routeFor, visibleMenu } from '../domains.ts';
import { useI18n } from '../i18n.tsx';
import { shellMessages } from '../messages.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { Logo } from './Logo.tsx';
import { PageSpin } from './PageSpin.tsx';
import { useLogout } from './session.ts';

const { Header, Sider, Content, Footer } = Layout;

const areaIcons: Record<string, ReactNode> = { plan: <FundOutlined />, fundraising: <HeartOutlined />, basic: <DatabaseOutlined />, people: <IdcardOutlined />, system: <SettingOutlined /> };

/** Pages of the shell itself (not a domain's): their breadcrumb. */
const accountPages: Record<string, { label: typeof shellMessages.changePassword }> = {
  '/account/password': { label: shellMessages.changePassword },
  '/account/totp': { label: shellMessages.totp },
};

export function UserMenu() {
  const me = useMe();
  const { t } = useI18n();
  const navigate = useNavigate();
  const logout = useLogout();
  const full = me.stage === 'full';
  const items: MenuProps['items'] = [
    ...(full
      ? [
          { key: 'password', icon: <LockOutlined />, label: t(shellMessages.changePassword) },
          { key: 'totp', icon: <KeyOutlined />, label: t(shellMessages.totp) },
          { type: 'divider' as const },
        ]
      : []),
    { key: 'logout', icon: <LogoutOutlined />, label: t(shellMessages.logout), danger: true },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'password') void navigate('/account/password');
    else if (key === 'totp') void navigate('/account/totp');
    else if (key === 'logout') void logout();
  };
  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <button type="button" className="boai-user" data-testid="user-menu">
        <Avatar size="small" icon={<UserOutlined />} className="boai-user-avatar" />
        <span className="boai-user-name">{me.user.displayName}</span>
        <DownOutlined className="boai-user-caret" />
      </button>
    </Dropdown>
  );
}

export function HeaderBar({ withMenuToggle }: { withMenuToggle?: ReactNode }) {
  const me = useMe();
  const { t } = useI18n();
  return (
    <Header className="boai-header">
      {withMenuToggle}
      <Link to="/" className="boai-brand">
        <Logo />
        <span className="boai-app-name">{t(shellMessages.appName)}</span>
        <span className="boai-org-name">{t(shellMessages.orgName)}</span>
      </Link>
      <div className="boai-header-spacer" />
      <Tooltip title={t(shellMessages.jurisdiction)}>
        <Tag icon={<ApartmentOutlined />} className="boai-jurisdiction" data-testid="jurisdiction">
          {t(shellMessages.jurisdictionOf, { unit: me.user.unitName })}
        </Tag>
      </Tooltip>
      <LanguageSwitch signedIn className="boai-lang" />
      <UserMenu />
    </Header>
  );
}

export function AppLayout() {
  const me = useMe();
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);

  const groups = useMemo(() => visibleMenu(me.user.permissions), [me.user.permissions]);
  const items: MenuProps['items'] = [
    { key: '/', icon: <HomeOutlined />, label: t(shellMessages.home) },
    ...groups.map((g) => ({
      key: `area:${g.area.key}`,
      icon: areaIcons[g.area.key] ?? <AppstoreOutlined />,
      label: t(g.area.label),
      children: g.entries.map((e) => ({ key: e.path, icon: e.icon, label: t(e.label) })),
    })),
  ];
  const current = routeFor(location.pathname);
  const parent = current?.parent ? routeByPath(current.parent) : undefined;
  // A page with a menu entry of its own selects it; a page below another (a record's page) selects its parent's.
  const ownEntry = current && allMenuEntries.some((e) => e.path === `/${current.path}`);
  const selectedKey = location.pathname === '/' ? '/' : current ? `/${ownEntry ? current.path : (current.parent ?? current.path)}` : location.pathname;
  const [openKeys, setOpenKeys] = useState<string[]>(() => groups.map((g) => `area:${g.area.key}`));

  const crumbs: { title: ReactNode }[] = [{ title: <Link to="/">{<HomeOutlined />} {t(shellMessages.home)}</Link> }];
  if (current) {
    const area = AREAS.find((a) => a.key === current.area);
    if (area) crumbs.push({ title: t(area.label) });
    if (parent) crumbs.push({ title: <Link to={`/${parent.path}`}>{t(parent.label)}</Link> });
    crumbs.push({ title: t(current.label) });
  } else if (accountPages[location.pathname]) {
    crumbs.push({ title: t(shellMessages.personal) }, { title: t(accountPages[location.pathname]!.label) });
  }

  // The browser tab names the page, so that several open tabs can be told apart.
  const pageTitle = current ? t(current.label) : accountPages[location.pathname] ? t(accountPages[location.pathname]!.label) : t(shellMessages.home);
  const appName = t(shellMessages.appName);
  useEffect(() => {
    document.title = `${pageTitle} | ${appName}`;
  }, [pageTitle, appName]);

  return (
    <Layout className="boai-root">
      <HeaderBar />
      <Layout>
        <Sider
          theme="light"
          width={212}
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          className="boai-sider"
          breakpoint="lg"
        >
          <nav aria-label={t(shellMessages.home)} className="boai-sider-nav">
            <Menu
              mode="inline"
              items={items}
              selectedKeys={[selectedKey]}
              openKeys={collapsed ? undefined : openKeys}
              onOpenChange={(keys) => setOpenKeys(keys as string[])}
              onClick={({ key }) => void navigate(key)}
              data-testid="side-menu"
            />
          </nav>
        </Sider>
        <Layout className="boai-main">
          <div className="boai-breadcrumb">
            <Breadcrumb items={crumbs} />
          </div>
          <Content className="boai-content">
            <Suspense fallback={<PageSpin />}>
              <Outlet />
            </Suspense>
          </Content>
          <Footer className="boai-footer">
            <Typography.Text type="secondary">
              {t(shellMessages.orgName)} · {t(shellMessages.appName)}
            </Typography.Text>
          </Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}

/** The only screen of a sign-in that is not complete yet (one-time password, TOTP enrolment). */
export function StageLayout() {
  const { t } = useI18n();
  return (
    <Layout className="boai-root">
      <HeaderBar />
      <Content className="boai-stage">
        <Typography.Paragraph type="secondary" className="boai-stage-notice">
          {t(shellMessages.stageNotice)}
        </Typography.Paragraph>
        <Suspense fallback={<PageSpin />}>
          <Outlet />
        </Suspense>
      </Content>
    </Layout>
  );
}
