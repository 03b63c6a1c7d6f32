import { BarChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { ScheduleOutput } from '../../../../src/contracts/loan.js';
import { useI18n } from '../../shared/i18n.js';

echarts.use([
  BarChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

/** Principal vs interest of every installment, stacked (本金 / 利息). */
export function ScheduleChart({ schedule }: { schedule: ScheduleOutput }) {
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (element.current === null) return;
    const chart = echarts.init(element.current);
    // Chart values are for the eye only; every figure shown as text comes
    // from the exact decimal strings of the API.
    chart.setOption({
      tooltip: { trigger: 'axis' },
      legend: {
        data: [t('calc.principal'), t('calc.interest')],
        top: 0,
        right: 20,
      },
      grid: { left: 60, right: 20, top: 40, bottom: 30 },
      xAxis: {
        type: 'category',
        data: schedule.periods.map((p) => p.n),
        name: t('calc.term'),
      },
      yAxis: { type: 'value', name: t('unit.yuan') },
      series: [
        {
          name: t('calc.principal'),
          type: 'bar',
          stack: 'payment',
          data: schedule.periods.map((p) => Number(p.principal)),
          itemStyle: { color: '#1677ff' },
        },
        {
          name: t('calc.interest'),
          type: 'bar',
          stack: 'payment',
          data: schedule.periods.map((p) => Number(p.interest)),
          itemStyle: { color: '#faad14' },
        },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [schedule, t]);
  return (
    <div
      ref={element}
      data-testid="schedule-chart"
      style={{ height: 320, width: '100%' }}
    />
  );
}
