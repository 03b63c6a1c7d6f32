/**
 * "0.108964" → "10.8964%": a decimal rate string (6 places, as the API sends
 * it) shown as a percentage exactly, by moving the decimal point.
 */
export function percentText(rate: string | null): string {
  if (rate === null) return '—';
  const match = /^(\d+)\.(\d{2})(\d*)$/.exec(rate);
  if (match === null) return rate;
  const whole = `${match[1]}${match[2]}`.replace(/^0+(?=\d)/, '');
  const fraction = match[3] ?? '';
  return fraction === '' ? `${whole}%` : `${whole}.${fraction}%`;
}

/** "107733.69" → "107,733.69" for display; amounts stay decimal strings. */
export function yuanText(amount: string): string {
  const [whole = '0', cents = '00'] = amount.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}
