import { Empty } from 'antd';
import { useI18n } from '../../shared/i18n.js';

export function InboxPage() {
  const { t } = useI18n();
  return <Empty description={t('state.empty')} />;
}
