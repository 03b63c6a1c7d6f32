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
import { ScheduleChart } from './schedule-chart.js';

const METHODS = [
  { value: 'equal_installment', label: '等额本息' },
  { value: 'equal_principal', label: '等额本金' },
  { value: 'interest_first', label: '先息后本' },
  { value: 'bullet', label: '一次性还本付息' },
  { value: 'flat', label: '等本等息' },
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
          : '计算失败，请稍后再试。',
      );
    } finally {
      setLoading(false);
    }
  };
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title="贷款计算器">
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
            label="贷款金额（元）"
            name="principal"
            rules={[
              {
                required: true,
                pattern: /^\d+(\.\d{1,2})?$/,
                message: '请输入金额，最多两位小数',
              },
            ]}
          >
            <Input style={{ width: 140 }} aria-label="贷款金额" />
          </Form.Item>
          <Form.Item
            label="年利率（%）"
            name="ratePercent"
            rules={[
              {
                required: true,
                pattern: /^\d{1,3}(\.\d{1,8})?$/,
                message: '请输入年利率，如 4.9',
              },
            ]}
          >
            <Input style={{ width: 100 }} aria-label="年利率" />
          </Form.Item>
          <Form.Item
            label="期数（月）"
            name="termMonths"
            rules={[{ required: true }]}
          >
            <InputNumber
              min={1}
              max={360}
              style={{ width: 90 }}
              aria-label="期数"
            />
          </Form.Item>
          <Form.Item label="还款方式" name="method">
            <Select
              options={METHODS}
              style={{ width: 150 }}
              aria-label="还款方式"
            />
          </Form.Item>
          <Form.Item label="一次性服务费（元）" name="upfrontFee">
            <Input style={{ width: 100 }} aria-label="一次性服务费" />
          </Form.Item>
          <Form.Item label="月费率（%）" name="monthlyFeePercent">
            <Input style={{ width: 80 }} aria-label="月费率" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={loading}>
              计算
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
  return (
    <Row gutter={16}>
      <Col span={24}>
        <Card>
          <Descriptions column={3} size="small">
            <Descriptions.Item label="每期还款">
              {schedule.payment === null
                ? '每期不同'
                : `${yuanText(schedule.payment)} 元`}
            </Descriptions.Item>
            <Descriptions.Item label="利息合计">
              {yuanText(schedule.total_interest)} 元
            </Descriptions.Item>
            <Descriptions.Item label="还款总额">
              {yuanText(schedule.total_paid)} 元
            </Descriptions.Item>
            <Descriptions.Item label="年化利率（单利）">
              <Typography.Text strong data-testid="apr-nominal">
                {percentText(schedule.apr_nominal)}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="年化利率（复利）">
              {percentText(schedule.apr_effective)}
            </Descriptions.Item>
            <Descriptions.Item label="费用合计">
              {yuanText(schedule.total_fees)} 元
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            年化利率按借款人实际现金流（含费用）的内部收益率计算；实际利率以审批结果和合同为准。
          </Typography.Paragraph>
        </Card>
      </Col>
      <Col span={24} style={{ marginTop: 16 }}>
        <Card title="本金与利息构成">
          <ScheduleChart schedule={schedule} />
        </Card>
      </Col>
      <Col span={24} style={{ marginTop: 16 }}>
        <Card title="还款计划">
          <Table
            size="small"
            rowKey="n"
            dataSource={schedule.periods}
            pagination={{ pageSize: 12, showSizeChanger: false }}
            columns={[
              { title: '期数', dataIndex: 'n', align: 'right' },
              { title: '还款日', dataIndex: 'due_date' },
              {
                title: '应还金额',
                dataIndex: 'payment',
                align: 'right',
                render: yuanText,
              },
              {
                title: '本金',
                dataIndex: 'principal',
                align: 'right',
                render: yuanText,
              },
              {
                title: '利息',
                dataIndex: 'interest',
                align: 'right',
                render: yuanText,
              },
              {
                title: '费用',
                dataIndex: 'fee',
                align: 'right',
                render: yuanText,
              },
              {
                title: '剩余本金',
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
