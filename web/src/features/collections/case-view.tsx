import { ArrowLeftOutlined, FileProtectOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Space, Typography } from 'antd';
import type { CustomerOverview } from '../../../../src/contracts/customer-overview.js';
import { getJson } from '../../shared/api.js';
import { useI18n } from '../../shared/i18n.js';
import { navigate } from '../../shared/router.js';
import { useSession } from '../../shared/session.js';
import { useResource } from '../../shared/use-resource.js';
import { Customer360 } from '../customer/customer-360.js';
import { ContactPanel } from './contact-panel.js';
import { PromisePanel } from './promise-panel.js';

// One collection case: log contacts (the contact policy refuses what it
// must, with the reason), record promises to pay, open the negotiation, and
// the customer 360 beside it.

export function CaseView({ loanNo }: { loanNo: string }) {
  const { t } = useI18n();
  const { user } = useSession();
  const loan = useResource(
    (signal) =>
      getJson<{ customer_id: string }>(`/loans/${encodeURIComponent(loanNo)}`, {
        signal,
      }),
    [loanNo],
  );
  const customerId = loan.data?.customer_id;
  const overview = useResource(
    async (signal) =>
      customerId === undefined
        ? undefined
        : getJson<CustomerOverview>(
            `/customers/${encodeURIComponent(customerId)}/overview`,
            { signal },
          ),
    [customerId],
  );
  const canNegotiate =
    user?.roles.some((r) => r === 'negotiator' || r === 'supervisor') ?? false;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space>
          <Button
            icon={<ArrowLeftOutlined />}
            onClick={() => navigate('/collections')}
          >
            {t('collections.back')}
          </Button>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('collections.case', { loanNo })}
          </Typography.Title>
        </Space>
        {canNegotiate && (
          <Button
            type="primary"
            icon={<FileProtectOutlined />}
            onClick={() =>
              navigate(`/negotiation/${encodeURIComponent(loanNo)}`)
            }
          >
            {t('collections.negotiate')}
          </Button>
        )}
      </Space>
      <Row gutter={16}>
        <Col xs={24} xl={13}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <ContactPanel
              loanNo={loanNo}
              emergencyContacts={overview.data?.emergency_contacts ?? []}
            />
            <PromisePanel loanNo={loanNo} />
          </Space>
        </Col>
        <Col xs={24} xl={11}>
          <Card size="small" title={t('c360.title')}>
            {customerId === undefined ? (
              loan.error !== undefined ? (
                <Typography.Text type="danger">
                  {t('state.error')}
                </Typography.Text>
              ) : null
            ) : (
              <Customer360 customerId={customerId} />
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
