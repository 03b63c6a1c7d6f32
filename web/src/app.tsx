import { ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { LoginPage } from './features/auth/login-page.js';
import { WorkspaceLayout } from './features/layout/workspace-layout.js';
import { I18nProvider, useI18n } from './shared/i18n.js';
import { SessionProvider, useSession } from './shared/session.js';

const THEME = { token: { colorPrimary: '#1677ff', borderRadius: 6 } };

/** Ant Design in the user's language (dates, pagination, empty states). */
export function LocalizedConfig({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  return (
    <ConfigProvider locale={locale === 'en-US' ? enUS : zhCN} theme={THEME}>
      {children}
    </ConfigProvider>
  );
}

function Gate() {
  const { user, checking } = useSession();
  if (checking)
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}>
        <Spin size="large" />
      </div>
    );
  return user === undefined ? <LoginPage /> : <WorkspaceLayout />;
}

/** The agent workspace: sign-in, then the screens of the user's roles. */
export function App() {
  return (
    <I18nProvider>
      <LocalizedConfig>
        <SessionProvider>
          <Gate />
        </SessionProvider>
      </LocalizedConfig>
    </I18nProvider>
  );
}
