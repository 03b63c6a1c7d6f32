import { SearchOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { errorText, getJson } from '../../shared/api.js';
import { yuanText } from '../../shared/format.js';
import { useI18n } from '../../shared/i18n.js';
import { matchPath, navigate, useLocation } from '../../shared/router.js';
import type { Plans } from './negotiation-wire.js';
import { PlanBoard } from './plan-board.js';

// 协商还款: the customer's budget in, the ranked plans out side by side
// with a chart of monthly burden and total paid; signing books the plan's
// schedule (see PlanBoard).

type Values = { loanNo: string; income?: string; expenses: string };

export function NegotiationPage() {
  const { t } = useI18n();
  const { path } = useLocation();
  const routeLoanNo = matchPath('/negotiation/:loanNo', path)?.loanNo;
  const [plans, setPlans] = useState<Plans>();
  const [budget, setBudget] = useState<{ income?: string; expenses: string }>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const load = async (values: Values) => {
    const loanNo = values.loanNo.trim();
    setLoading(true);
    setError(undefined);
    if (loanNo !== routeLoanNo)
      navigate(`/negotiation/${encodeURIComponent(loanNo)}`, { replace: true });
    const query = new URLSearchParams({ expenses: values.expenses.trim() });
    const income = values.income?.trim() ?? '';
    if (income !== '') query.set('income', income);
    try {
      setPlans(
        await getJson<Plans>(
          `/loans/${encodeURIComponent(loanNo)}/negotiation/plans?${query}`,
        ),
      );
      setBudget(
        income === ''
          ? { expenses: values.expenses.trim() }
          : { income, expenses: values.expenses.trim() },
      );
    } catch (caught) {
      setPlans(undefined);
      setError(errorText(caught, t('state.errorRetry')));
    } finally {
      setLoading(false);
    }
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={t('negotiation.budget')}>
        <Form<Values>
          layout="inline"
          initialValues={{
            loanNo: routeLoanNo ?? '',
            income: '',
            expenses: '',
          }}
          onFinish={load}
        >
          <Form.Item
            name="loanNo"
            label={t('c360.loan')}
            rules={[{ required: true, message: t('negotiation.loanRequired') }]}
          >
            <Input style={{ width: 160 }} aria-label={t('c360.loan')} />
          </Form.Item>
          <Form.Item
            name="income"
            label={t('negotiation.income')}
            rules={[
              {
                pattern: /^\d+(\.\d{1,2})?$/,
                message: t('promise.amountInvalid'),
              },
            ]}
          >
            <Input
              style={{ width: 120 }}
              placeholder={t('negotiation.incomeOnFile')}
              aria-label={t('negotiation.income')}
            />
          </Form.Item>
          <Form.Item
            name="expenses"
            label={t('negotiation.expenses')}
            rules={[
              {
                required: true,
                pattern: /^\d+(\.\d{1,2})?$/,
                message: t('promise.amountInvalid'),
              },
            ]}
          >
            <Input
              style={{ width: 120 }}
              aria-label={t('negotiation.expenses')}
            />
          </Form.Item>
          <Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              icon={<SearchOutlined />}
              loading={loading}
            >
              {t('negotiation.generate')}
            </Button>
          </Form.Item>
        </Form>
        {error !== undefined && (
          <Alert
            style={{ marginTop: 12 }}
            type="error"
            showIcon
            message={error}
          />
        )}
      </Card>
      {plans === undefined ? (
        <Card>
          <Typography.Text type="secondary">
            {t('negotiation.hint')}
          </Typography.Text>
        </Card>
      ) : (
        <>
          <Card
            size="small"
            title={t('negotiation.balance', { loanNo: plans.loan_no })}
          >
            <Descriptions size="small" column={5}>
              <Descriptions.Item label={t('negotiation.principal')}>
                {yuanText(plans.balance.principal)}
              </Descriptions.Item>
              <Descriptions.Item label={t('negotiation.interest')}>
                {yuanText(plans.balance.interest)}
              </Descriptions.Item>
              <Descriptions.Item label={t('negotiation.penalty')}>
                {yuanText(plans.balance.penalty)}
              </Descriptions.Item>
              <Descriptions.Item label={t('negotiation.fees')}>
                {yuanText(plans.balance.fees)}
              </Descriptions.Item>
              <Descriptions.Item label={t('negotiation.total')}>
                <Typography.Text strong>
                  {yuanText(plans.balance.total)}
                </Typography.Text>
              </Descriptions.Item>
            </Descriptions>
          </Card>
          {budget !== undefined && <PlanBoard plans={plans} budget={budget} />}
        </>
      )}
    </Space>
  );
}
