import { BulbOutlined } from '@ant-design/icons';
import { Button, Space, Tooltip, Typography } from 'antd';
import { getJson } from '../../shared/api.js';
import type { Suggestion } from '../../shared/chat-wire.js';
import { useI18n } from '../../shared/i18n.js';
import { useResource } from '../../shared/use-resource.js';

/** Suggested replies for the detected intent; a click puts one in the draft. */
export function Suggestions({
  conversationId,
  onPick,
}: {
  conversationId: string;
  onPick: (text: string) => void;
}) {
  const { t } = useI18n();
  const resource = useResource(
    (signal) =>
      getJson<{ intent: string | null; suggestions: Suggestion[] }>(
        `/conversations/${encodeURIComponent(conversationId)}/suggestions`,
        { signal },
      ),
    [conversationId],
  );
  const suggestions = resource.data?.suggestions ?? [];
  if (resource.loading || suggestions.length === 0) return null;
  return (
    <Space wrap size={[6, 6]} data-testid="suggestions">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <BulbOutlined /> {t('inbox.suggestions')}
      </Typography.Text>
      {suggestions.slice(0, 4).map((suggestion) => (
        <Tooltip key={suggestion.text} title={suggestion.text}>
          <Button
            size="small"
            onClick={() => onPick(suggestion.text)}
            style={{
              maxWidth: 260,
              overflow: 'hidden',
              textOverflow: 'ellipsis',
            }}
          >
            {suggestion.text}
          </Button>
        </Tooltip>
      ))}
    </Space>
  );
}
