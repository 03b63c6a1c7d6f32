import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { useI18n } from './i18n.js';

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
