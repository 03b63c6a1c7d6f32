import { Alert, Button, Card, Input, Rate, Space, Typography } from 'antd';
import { useState } from 'react';
import { errorText } from '../../shared/api.js';
import { useI18n } from '../../shared/i18n.js';

/** 满意度评价 at the end of a conversation, then an offer to start again. */
export function RatingCard({
  rate,
  onRestart,
}: {
  rate: (score: number, comment: string) => Promise<void>;
  onRestart: () => void;
}) {
  const { t } = useI18n();
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await rate(score, comment);
      setDone(true);
    } catch (caught) {
      setError(errorText(caught, t('chat.failed')));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" style={{ margin: 12 }} data-testid="chat-rating">
      {done ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>{t('chat.thanks')}</Typography.Text>
          <Button onClick={onRestart}>{t('chat.newConversation')}</Button>
        </Space>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text strong>{t('chat.rateTitle')}</Typography.Text>
          <Rate
            value={score}
            onChange={setScore}
            aria-label={t('chat.rateTitle')}
          />
          <Input.TextArea
            value={comment}
            onChange={(event) => setComment(event.target.value)}
            placeholder={t('chat.rateComment')}
            maxLength={500}
            autoSize={{ minRows: 2, maxRows: 3 }}
          />
          {error !== undefined && <Alert type="error" message={error} />}
          <Button
            type="primary"
            disabled={score === 0}
            loading={busy}
            onClick={() => void submit()}
          >
            {t('chat.rateSubmit')}
          </Button>
        </Space>
      )}
    </Card>
  );
}
