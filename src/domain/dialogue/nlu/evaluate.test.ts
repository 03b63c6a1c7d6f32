import { describe, expect, it } from 'vitest';
import { calendarDate } from '../../shared/calendar-date.js';
import type { LabelledUtterance } from './corpus.js';
import { evaluateNlu, sameSlots } from './evaluate.js';
import type { Intent } from './labels.js';
import type { Nlu, NluResult } from './nlu.js';

const TODAY = calendarDate('2026-11-20');

function utterance(
  text: string,
  intent: Intent,
  extra: Partial<LabelledUtterance> = {},
): LabelledUtterance {
  return {
    text,
    intent,
    slots: {},
    emotion: 'neutral',
    riskSignals: [],
    fraudSignals: [],
    today: TODAY,
    source: 't',
    ...extra,
  };
}

// A stand-in NLU that answers from a table, so the metrics can be checked by hand.
function tableNlu(answers: Record<string, Partial<NluResult>>): Nlu {
  return {
    understand: ({ text }) => ({
      intent: 'out_of_scope',
      confidence: 0.9,
      slots: {},
      emotion: 'neutral',
      risk_signals: [],
      fraud_signals: [],
      normalized: text,
      ...answers[text],
    }),
  };
}

describe('NLU evaluation', () => {
  it('compares slot sets by ids and values', () => {
    expect(sameSlots({ amount_yuan: 5 }, { amount_yuan: 5 })).toBe(true);
    expect(sameSlots({ amount_yuan: 5 }, { amount_yuan: 6 })).toBe(false);
    expect(
      sameSlots({ amount_yuan: 5 }, { amount_yuan: 5, term_months: 3 }),
    ).toBe(false);
  });

  it('scores accuracy, macro-F1, slots and signals', () => {
    const set = [
      utterance('a', 'greeting'),
      utterance('b', 'greeting'),
      utterance('c', 'complaint', { slots: { amount_yuan: 1 } }),
      utterance('d', 'complaint', { fraudSignals: ['upfront_fee'] }),
    ];
    const nlu = tableNlu({
      a: { intent: 'greeting' },
      b: { intent: 'complaint' },
      c: { intent: 'complaint', slots: { amount_yuan: 1 } },
      d: {
        intent: 'complaint',
        fraud_signals: ['upfront_fee', 'impersonation'],
      },
    });
    const evaluation = evaluateNlu(nlu, set, 0.5);
    expect(evaluation.intentAccuracy).toBe(0.75);
    // greeting: P 1, R 0.5, F1 2/3; complaint: P 2/3, R 1, F1 0.8.
    expect(evaluation.intentMacroF1).toBeCloseTo((2 / 3 + 0.8) / 2, 10);
    expect(evaluation.slotExactMatch).toBe(1);
    expect(evaluation.slotExactMatchLabelled).toBe(1);
    expect(evaluation.fraud.precision).toBe(0.5);
    expect(evaluation.fraud.recall).toBe(1);
    expect(evaluation.errors.map((error) => error.utterance.text)).toEqual([
      'b',
    ]);
  });

  it('counts answers below the clarify threshold apart', () => {
    const nlu = tableNlu({
      a: { intent: 'greeting', confidence: 0.3 },
      b: { intent: 'greeting' },
    });
    const evaluation = evaluateNlu(
      nlu,
      [utterance('a', 'complaint'), utterance('b', 'greeting')],
      0.5,
    );
    expect(evaluation.clarifyShare).toBe(0.5);
    expect(evaluation.accuracyAboveClarify).toBe(1);
  });
});
