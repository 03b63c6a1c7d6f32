import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import type { ScheduleOutput } from '../../../../src/contracts/loan.js';
import { ApiRequestError, postJson } from '../../shared/api.js';
import { percentText, yuanText } from '../../shared/format.js';
import { useI18n } from '../../shared/i18n.js';
import type { MessageKey } from '../../shared/i18n-zh.js';
import { ScheduleChart } from './schedule-chart.js';

const METHODS: readonly { value: string; labelKey: MessageKey }[] = [
  { value: 'equal_installment', labelKey: 'calc.equal_installment' },
  { value: 'equal_principal', labelKey: 'calc.equal_principal' },
  { value: 'interest_first', labelKey: 'calc.interest_first' },
  { value: 'bullet', labelKey: 'calc.bullet' },
  { value: 'flat', labelKey: 'calc.flat' },
];

type FormValues = {
  principal: string;
  ratePercent: string;
  termMonths: number;
  method: string;
  upfrontFee: string;
  monthlyFeePercent: string;
};

/** "4.9" (percent, as typed) → "0.049" exactly, by moving the decimal point. */
function percentToDecimal(text: string): string {
  const match = /^(\d{1,3})(?:\.(\d{1,8}))?$/.exec(text.trim());
  if (match === null) return text;
  const whole = (match[1] ?? '0').padStart(3, '0');
  return `${Number(whole.slice(0, -2))}.${whole.slice(-2)}${match[2] ?? ''}`;
}

function requestOf(values: FormValues) {
  const fees: object[] = [];
  if (values.upfrontFee !== '' && values.upfrontFee !== '0')
    fees.push({ kind: 'upfront', amount: values.upfrontFee });
  if (values.monthlyFeePercent !== '' && values.monthlyFeePercent !== '0')
    fees.push({
      kind: 'monthly',
      rate: percentToDecimal(values.monthlyFeePercent),
    });
  return {
    principal: values.principal,
    annual_rate: percentToDecimal(values.ratePercent),
    term_months: values.termMonths,
    method: values.method,
    fees,
  };
}

/** 贷款计算器: method, amount, rate, term, fees → schedule, APR and a chart. */
export function CalculatorPage() {
  const { t } = useI18n();
  const [schedule, setSchedule] = useState<ScheduleOutput>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const submit = async (values: FormValues) => {
    setLoading(true);
    setError(undefined);
    try {
      setSchedule(
        await postJson<ScheduleOutput>(
          '/calculator/schedule',
          requestOf(values),
        ),
      );
    } catch (caught) {
      setSchedule(undefined);
      setError(
        caught instanceof ApiRequestError
          ? caught.error.message
          : t('calc.failed'),
      );
    } finally {
      setLoading(false);
    }
  };
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('calc.title')}>
        <Form<FormValues>
          layout="inline"
          initialValues={{
            principal: '100000',
            ratePercent: '4.9',
            termMonths: 36,
            method: 'equal_installment',
            upfrontFee: '0',
            monthlyFeePercent: '0',
          }}
          onFinish={submit}
        >
          <Form.Item
            label={t('calc.amountLabel')}
            name="principal"
            rules={[
              {
                required: true,
                pattern: /^\d+(\.\d{1,2})?$/,
                message: t('calc.amountError'),
              },
            ]}
          >
            <Input style={{ width: 140 }} aria-label={t('calc.amount')} />
          </Form.Item>
          <Form.Item
            label={t('calc.rateLabel')}
            name="ratePercent"
            rules={[
              {
                required: true,
                pattern: /^\d{1,3}(\.\d{1,8})?$/,
                message: t('calc.rateError'),
              },
            ]}
          >
            <Input style={{ width: 100 }} aria-label={t('calc.rate')} />
          </Form.Item>
          <Form.Item
            label={t('calc.termLabel')}
            name="termMonths"
            rules={[{ required: true }]}
          >
            <InputNumber
              min={1}
              max={360}
              style={{ width: 90 }}
              aria-label={t('calc.term')}
            />
          </Form.Item>
          <Form.Item label={t('calc.method')} name="method">
            <Select
              options={METHODS.map((m) => ({
                value: m.value,
                label: t(m.labelKey),
              }))}
              style={{ width: 150 }}
              aria-label={t('calc.method')}
            />
          </Form.Item>
          <Form.Item label={t('calc.upfrontLabel')} name="upfrontFee">
            <Input style={{ width: 100 }} aria-label={t('calc.upfront')} />
          </Form.Item>
          <Form.Item label={t('calc.monthlyFeeLabel')} name="monthlyFeePercent">
            <Input style={{ width: 80 }} aria-label={t('calc.monthlyFee')} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={loading}>
              {t('calc.submit')}
            </Button>
          </Form.Item>
        </Form>
        {error !== undefined && (
          <Alert
            style={{ marginTop: 16 }}
            type="error"
            showIcon
            message={error}
          />
        )}
      </Card>
      {schedule !== undefined && <ScheduleResult schedule={schedule} />}
    </Space>
  );
}

function ScheduleResult({ schedule }: { schedule: ScheduleOutput }) {
  const { t } = useI18n();
  return (
    <Row gutter={16}>
      <Col span={24}>
        <Card>
          <Descriptions column={3} size="small">
            <Descriptions.Item label={t('calc.payment')}>
              {schedule.payment === null
                ? t('calc.varies')
                : `${yuanText(schedule.payment)} ${t('unit.yuan')}`}
            </Descriptions.Item>
            <Descriptions.Item label={t('calc.totalInterest')}>
              {yuanText(schedule.total_interest)} {t('unit.yuan')}
            </Descriptions.Item>
            <Descriptions.Item label={t('calc.totalPaid')}>
              {yuanText(schedule.total_paid)} {t('unit.yuan')}
            </Descriptions.Item>
            <Descriptions.Item label={t('calc.aprSimple')}>
              <Typography.Text strong data-testid="apr-nominal">
                {percentText(schedule.apr_nominal)}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('calc.aprEffective')}>
              {percentText(schedule.apr_effective)}
            </Descriptions.Item>
            <Descriptions.Item label={t('calc.totalFees')}>
              {yuanText(schedule.total_fees)} {t('unit.yuan')}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t('calc.aprNote')}
          </Typography.Paragraph>
        </Card>
      </Col>
      <Col span={24} style={{ marginTop: 16 }}>
        <Card title={t('calc.composition')}>
          <ScheduleChart schedule={schedule} />
        </Card>
      </Col>
      <Col span={24} style={{ marginTop: 16 }}>
        <Card title={t('calc.schedule')}>
          <Table
            size="small"
            rowKey="n"
            dataSource={schedule.periods}
            pagination={{ pageSize: 12, showSizeChanger: false }}
            columns={[
              { title: t('calc.term'), dataIndex: 'n', align: 'right' },
              { title: t('calc.dueDate'), dataIndex: 'due_date' },
              {
                title: t('calc.due'),
                dataIndex: 'payment',
                align: 'right',
                render: yuanText,
              },
              {
                title: t('calc.principal'),
                dataIndex: 'principal',
                align: 'right',
                render: yuanText,
              },
              {
                title: t('calc.interest'),
                dataIndex: 'interest',
                align: 'right',
                render: yuanText,
              },
              {
                title: t('calc.fee'),
                dataIndex: 'fee',
                align: 'right',
                render: yuanText,
              },
              {
                title: t('calc.balance'),
                dataIndex: 'balance',
                align: 'right',
                render: yuanText,
              },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
