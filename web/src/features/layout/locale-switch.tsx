import { Segmented } from 'antd';
import { type Locale, useI18n } from '../../shared/i18n.js';

/** 中文 / English, remembered in this browser. */
export function LocaleSwitch() {
  const { locale, setLocale } = useI18n();
  return (
    <Segmented<Locale>
      size="small"
      aria-label="Language / 语言"
      value={locale}
      options={[
        { value: 'zh-CN', label: '中文' },
        { value: 'en-US', label: 'EN' },
      ]}
      onChange={setLocale}
    />
  );
}
