// Proves `loandesk contact-check` end to end through the spawned CLI: the
// --jsonl contract of spec/contracts.md (same order and id, the first refusing
// rule and a reason, {"id","error"} for a bad line) and the single-object mode.

import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const BASE = {
  at: '2026-11-20T10:00:00+08:00',
  channel: 'call',
  purpose: 'collection',
  recipient: 'debtor',
  consent_hours: null,
  case: {
    plan_active: false,
    plan_in_breach: false,
    debtor_unreachable: false,
  },
  log: [] as object[],
};

function connected(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    at: `2026-11-20T09:0${index}:00+08:00`,
    channel: 'call',
    recipient: 'debtor',
    outcome: 'connected',
  }));
}

describe('loandesk contact-check --jsonl', () => {
  it('answers each request in order with allowed, or the refusing rule and a reason', () => {
    const lines = [
      { ...BASE, id: 'ok' },
      { ...BASE, id: 'night', at: '2026-11-20T22:30:00+08:00' },
      {
        ...BASE,
        id: 'consent',
        at: '2026-11-20T22:15:00+08:00',
        consent_hours: { from: '07:30', to: '22:30' },
      },
      { ...BASE, id: 'fourth', log: connected(3) },
      { ...BASE, id: 'stranger', recipient: 'unrelated_third_party' },
      { ...BASE, id: 'relative', recipient: 'emergency_contact' },
      {
        ...BASE,
        id: 'plan',
        case: {
          plan_active: true,
          plan_in_breach: false,
          debtor_unreachable: false,
        },
      },
    ];
    const result = runCli(
      ['contact-check', '--jsonl'],
      lines.map((line) => JSON.stringify(line)).join('\n'),
    );
    expect(result.status).toBe(0);
    const answers = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(
      answers.map((answer) => [answer.id, answer.allowed, answer.rule]),
    ).toEqual([
      ['ok', true, undefined],
      ['night', false, 'COL-01'],
      ['consent', true, undefined],
      ['fourth', false, 'COL-02'],
      ['stranger', false, 'COL-03'],
      ['relative', false, 'COL-04'],
      ['plan', false, 'COL-13'],
    ]);
    expect(answers[1].reason).toMatch(/22:30/);
  });

  it('answers a bad line with {"id","error"} and keeps going', () => {
    const lines = [
      { ...BASE, id: 'bad-channel', channel: 'pigeon' },
      { ...BASE, id: 'bad-time', at: '20 Nov 2026' },
      { ...BASE, id: 'fine' },
    ];
    const result = runCli(
      ['contact-check', '--jsonl'],
      lines.map((line) => JSON.stringify(line)).join('\n'),
    );
    const answers = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(answers[0]).toEqual({
      id: 'bad-channel',
      error: expect.stringMatching(/channel/),
    });
    expect(answers[1]).toEqual({
      id: 'bad-time',
      error: expect.stringMatching(/at/),
    });
    expect(answers[2]).toEqual({ id: 'fine', allowed: true });
  });
});

describe('loandesk contact-check (one object on stdin)', () => {
  it('prints one answer and exits 0', () => {
    const result = runCli(
      ['contact-check'],
      JSON.stringify({ ...BASE, id: 'c1', at: '2026-11-20T21:30:00+08:00' }),
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ id: 'c1', allowed: true });
  });

  it('refuses unusable input with one stderr line and exit code 2', () => {
    const result = runCli(['contact-check'], '{"id":"c2","channel":"call"}');
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
