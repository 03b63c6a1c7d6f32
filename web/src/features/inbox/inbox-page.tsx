import { Card, Col, Empty, Row } from 'antd';
import { useCallback } from 'react';
import { useI18n } from '../../shared/i18n.js';
import { matchPath, navigate, useLocation } from '../../shared/router.js';
import { Customer360 } from '../customer/customer-360.js';
import { ConversationList } from './conversation-list.js';
import { ConversationPanel } from './conversation-panel.js';
import { useConversation } from './use-conversation.js';

// 在线客服: the queue of conversations on the left, the chosen conversation
// with its composer in the middle, the customer 360 on the right.

export function InboxPage() {
  const { t } = useI18n();
  const { path } = useLocation();
  const selected = matchPath('/inbox/:id', path)?.id;
  const conversation = useConversation(selected);
  const { reload } = conversation;
  // The open conversation reloads as soon as its line is pushed (a new
  // borrower message), not at its next poll.
  const onPushed = useCallback(
    (id: string) => {
      if (id === selected) reload();
    },
    [selected, reload],
  );
  const customerId = conversation.data?.customer?.id;
  return (
    <Row gutter={16} wrap={false} style={{ alignItems: 'stretch' }}>
      <Col flex="300px">
        <ConversationList
          selectedId={selected}
          onSelect={(id) => navigate(`/inbox/${encodeURIComponent(id)}`)}
          onPushed={onPushed}
        />
      </Col>
      <Col flex="auto" style={{ minWidth: 0 }}>
        {selected === undefined ? (
          <Card style={{ height: '100%' }}>
            <Empty description={t('inbox.pick')} style={{ marginTop: 120 }} />
          </Card>
        ) : (
          <ConversationPanel conversation={conversation} />
        )}
      </Col>
      <Col flex="400px">
        <Card
          size="small"
          title={t('c360.title')}
          style={{ height: '100%' }}
          styles={{
            body: { maxHeight: 'calc(100vh - 220px)', overflowY: 'auto' },
          }}
        >
          {customerId === undefined ? (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                selected === undefined ? t('inbox.pick') : t('c360.unverified')
              }
            />
          ) : (
            <Customer360 customerId={customerId} />
          )}
        </Card>
      </Col>
    </Row>
  );
}
