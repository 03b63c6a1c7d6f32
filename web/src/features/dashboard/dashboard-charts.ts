import type { DashboardOutput } from '../../../../src/contracts/dashboard.js';
import type { ChartOption } from '../../shared/chart.js';
import { chartYuan } from '../../shared/format.js';
import type { Translate } from '../../shared/i18n.js';

// ECharts options of the dashboard panels. Values are for drawing; the
// tables and statistics show the API's exact strings.

const GRID = { left: 56, right: 24, top: 40, bottom: 32 };

export function conversationsOption(
  t: Translate,
  days: DashboardOutput['conversations_per_day'],
): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, right: 16 },
    grid: GRID,
    xAxis: { type: 'category', data: days.map((d) => d.date.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: t('dashboard.botContained'),
        type: 'bar',
        stack: 'c',
        data: days.map((d) => d.total - d.handed_off),
        itemStyle: { color: '#1677ff' },
      },
      {
        name: t('dashboard.handedOff'),
        type: 'bar',
        stack: 'c',
        data: days.map((d) => d.handed_off),
        itemStyle: { color: '#faad14' },
      },
    ],
  };
}

export function reasonsPieOption(
  reasons: readonly { name: string; value: number }[],
): ChartOption {
  return {
    tooltip: { trigger: 'item' },
    legend: { orient: 'vertical', left: 0, top: 'middle' },
    series: [
      {
        type: 'pie',
        radius: ['40%', '70%'],
        center: ['62%', '50%'],
        data: reasons,
        label: { formatter: '{b}: {c}' },
      },
    ],
  };
}

export function countBarOption(
  rows: readonly { name: string; value: number }[],
  color: string,
): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { ...GRID, left: 120 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => r.name) },
    series: [
      { type: 'bar', data: rows.map((r) => r.value), itemStyle: { color } },
    ],
  };
}

export function bucketAmountOption(
  t: Translate,
  buckets: DashboardOutput['overdue_by_bucket']['buckets'],
): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, right: 16 },
    grid: { ...GRID, right: 56 },
    xAxis: { type: 'category', data: buckets.map((b) => b.bucket) },
    yAxis: [
      { type: 'value', name: t('unit.yuan') },
      { type: 'value', name: t('unit.loans'), minInterval: 1 },
    ],
    series: [
      {
        name: t('dashboard.overdueAmount'),
        type: 'bar',
        data: buckets.map((b) => chartYuan(b.amount)),
        itemStyle: { color: '#cf1322' },
      },
      {
        name: t('dashboard.overdueCount'),
        type: 'line',
        yAxisIndex: 1,
        data: buckets.map((b) => b.loans),
        itemStyle: { color: '#595959' },
      },
    ],
  };
}

export function rollRateOption(
  t: Translate,
  rates: DashboardOutput['roll_rates']['rates'],
): ChartOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${v}%` },
    grid: GRID,
    xAxis: {
      type: 'category',
      data: rates.map((r) => `${r.from}→${r.to}`),
    },
    yAxis: { type: 'value', name: '%', max: 100 },
    series: [
      {
        name: t('dashboard.rollRatesShort'),
        type: 'bar',
        data: rates.map((r) =>
          r.rate === null ? null : Math.round(Number(r.rate) * 10_000) / 100,
        ),
        itemStyle: { color: '#722ed1' },
        label: { show: true, position: 'top', formatter: '{c}%' },
      },
    ],
  };
}
