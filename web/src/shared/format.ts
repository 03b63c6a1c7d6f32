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

function yuanToFen(amount: string): bigint {
  const match = /^(-)?(\d+)\.(\d{2})$/.exec(amount);
  if (match === null) throw new Error(`not a yuan amount: ${amount}`);
  const magnitude = BigInt(match[2] ?? '0') * 100n + BigInt(match[3] ?? '0');
  return match[1] === '-' ? -magnitude : magnitude;
}

/** Adds yuan decimal strings exactly (in fen): ["1.10","2.05"] → "3.15". */
export function sumYuan(amounts: readonly string[]): string {
  const totalFen = amounts.reduce((sum, a) => sum + yuanToFen(a), 0n);
  const negative = totalFen < 0n;
  const magnitude = negative ? -totalFen : totalFen;
  const cents = (magnitude % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${magnitude / 100n}.${cents}`;
}

/** "0.8125" (a ratio with four places) → "81.25%"; null → "—". */
export function percentOfRatio(ratio: string | null): string {
  if (ratio === null) return '—';
  const match = /^(\d+)\.(\d{2})(\d{2})$/.exec(ratio);
  if (match === null) return ratio;
  const whole = `${match[1]}${match[2]}`.replace(/^0+(?=\d)/, '');
  return `${whole}.${match[3]}%`;
}

/** A chart value in yuan (for drawing only; text uses the exact strings). */
export function chartYuan(amount: string): number {
  return Number(amount);
}
