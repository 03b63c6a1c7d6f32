import { Button, Empty, Result, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { errorText } from './api.js';
import { useI18n } from './i18n.js';
import type { Resource } from './use-resource.js';

/**
 * One way to show a request's states: a skeleton while loading, the server's
 * reason with a retry on error, an empty state when there is nothing.
 */
export function AsyncView<T>({
  resource,
  isEmpty,
  emptyText,
  children,
  rows = 4,
}: {
  resource: Resource<T>;
  isEmpty?: (data: T) => boolean;
  emptyText?: string;
  children: (data: T) => ReactNode;
  rows?: number;
}) {
  const { t } = useI18n();
  if (resource.loading && resource.data === undefined)
    return <Skeleton active paragraph={{ rows }} data-testid="loading-state" />;
  if (resource.error !== undefined)
    return (
      <Result
        status="warning"
        title={t('state.error')}
        subTitle={errorText(resource.error, t('state.errorRetry'))}
        extra={<Button onClick={resource.reload}>{t('action.retry')}</Button>}
      />
    );
  if (resource.data === undefined) return null;
  if (isEmpty?.(resource.data) === true)
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={emptyText ?? t('state.empty')}
      />
    );
  return <>{children(resource.data)}</>;
}
