import { describe, expect, it } from 'vitest';
import { renderReply } from './render.js';
import { TEMPLATES } from './templates.js';

describe('renderReply', () => {
  it('fills every placeholder', () => {
    expect(renderReply('schedule_remaining', { principal: '1200.00' }, 0)).toBe(
      '目前剩余未还本金1200.00元。',
    );
  });

  it('varies the wording with the variant number', () => {
    const wordings = new Set(
      [0, 1, 2].map((variant) => renderReply('greeting', {}, variant)),
    );
    expect(wordings.size).toBe(TEMPLATES.greeting.length);
  });

  it('throws on a missing placeholder value', () => {
    expect(() => renderReply('schedule_remaining', {}, 0)).toThrow(/principal/);
  });
});
