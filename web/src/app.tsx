import { Spin } from 'antd';
import { LoginPage } from './features/auth/login-page.js';
import { WorkspaceLayout } from './features/layout/workspace-layout.js';
import { I18nProvider } from './shared/i18n.js';
import { LocalizedConfig } from './shared/localized-config.js';
import { SessionProvider, useSession } from './shared/session.js';

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
