import { Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../../shared/i18n.js';

// A deadline counting down live: days and hours left, orange inside three
// days, red once past (CP-01 handling deadlines).

const MINUTE_MS = 60_000;

export function Countdown({ dueAt }: { dueAt: string }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), MINUTE_MS / 2);
    return () => window.clearInterval(timer);
  }, []);
  const minutes = Math.floor((Date.parse(dueAt) - now) / MINUTE_MS);
  const magnitude = Math.abs(minutes);
  const days = Math.floor(magnitude / 1440);
  const hours = Math.floor((magnitude % 1440) / 60);
  const text = t('countdown.dh', { days, hours });
  if (minutes < 0)
    return (
      <Tag color="red" data-testid="countdown">
        {t('countdown.overdue', { time: text })}
      </Tag>
    );
  return (
    <Tag
      color={minutes < 3 * 1440 ? 'orange' : 'green'}
      data-testid="countdown"
    >
      {t('countdown.left', { time: text })}
    </Tag>
  );
}
