import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import {
  Avatar,
  Button,
  Dropdown,
  Layout,
  Menu,
  Result,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { Suspense, useEffect, useState } from 'react';
import { useI18n } from '../../shared/i18n.js';
import { navigate, useLocation } from '../../shared/router.js';
import { useSession } from '../../shared/session.js';
import { LocaleSwitch } from './locale-switch.js';
import { screenOf, screensFor } from './screens.js';

// The workspace shell (ProLayout-like): a collapsible side menu with the
// screens the user's roles allow, a header with the user, the language
// switch and sign-out, and the current screen loaded on demand.

export function WorkspaceLayout() {
  const { t } = useI18n();
  const { user, logout } = useSession();
  const { path } = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const screens = screensFor(user?.roles ?? []);
  const current = screenOf(screens, path);
  const first = screens[0];
  useEffect(() => {
    if (current === undefined && first !== undefined && path === '/')
      navigate(first.path, { replace: true });
  }, [current, first, path]);
  if (user === undefined) return null;
  const Page = current?.component;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={208}
        theme="dark"
      >
        <div
          style={{
            height: 56,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            color: '#fff',
            fontWeight: 600,
            fontSize: collapsed ? 14 : 16,
            whiteSpace: 'nowrap',
          }}
        >
          {collapsed ? 'LD' : t('app.shortTitle')}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={current === undefined ? [] : [current.key]}
          items={screens.map((screen) => ({
            key: screen.key,
            icon: <screen.icon />,
            label: (
              <a href={screen.path} onClick={(event) => event.preventDefault()}>
                {t(screen.labelKey)}
              </a>
            ),
          }))}
          onClick={({ key }) => {
            const target = screens.find((screen) => screen.key === key);
            if (target !== undefined) navigate(target.path);
          }}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Typography.Title level={4} style={{ margin: 0 }}>
            {current === undefined ? t('app.title') : t(current.labelKey)}
          </Typography.Title>
          <Space size="middle">
            <LocaleSwitch />
            {user.roles.map((role) => (
              <Tag key={role} color="blue">
                {t(`role.${role}`)}
              </Tag>
            ))}
            <Dropdown
              menu={{
                items: [
                  {
                    key: 'logout',
                    icon: <LogoutOutlined />,
                    label: t('action.logout'),
                  },
                ],
                onClick: () => {
                  void logout().then(() => navigate('/', { replace: true }));
                },
              }}
            >
              <Button type="text" data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} />
                <span style={{ marginLeft: 8 }}>{user.display_name}</span>
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          {Page === undefined ? (
            first === undefined ? (
              <Result status="403" title={t('state.noScreens')} />
            ) : (
              <Skeleton active />
            )
          ) : (
            <Suspense fallback={<Skeleton active paragraph={{ rows: 8 }} />}>
              <Page />
            </Suspense>
          )}
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: '#8c8c8c' }}>
          {t('app.footer')}
        </Layout.Footer>
      </Layout>
    </Layout>
  );
}
