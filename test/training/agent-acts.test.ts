// The agent-act classifier the simulated customers read trainees with:
// enough of our own corpus for every act, and held-out clauses (never
// trained on) read right often enough for role-play.
import { describe, expect, it } from 'vitest';
import { loadAgentActs } from '../../src/adapters/training/load-agent-acts.js';
import { calendarDate } from '../../src/domain/shared/calendar-date.js';
import {
  AGENT_ACTS,
  evaluateAgentActs,
  isHeldOutClause,
} from '../../src/domain/training/agent-acts.js';
import { readAgentMessage } from '../../src/domain/training/read-agent-message.js';

describe('agent-act classifier', { timeout: 60_000 }, () => {
  const loaded = loadAgentActs({ trainOn: 'train', cacheDir: null });

  it('has several hundred clauses, at least 10 for every act', () => {
    expect(loaded.corpus.length).toBeGreaterThanOrEqual(400);
    for (const act of AGENT_ACTS)
      expect(
        loaded.corpus.filter((clause) => clause.act === act).length,
        act,
      ).toBeGreaterThanOrEqual(10);
  });

  it('reads held-out clauses it was never trained on', () => {
    const heldOut = loaded.corpus.filter((c) => isHeldOutClause(c.text));
    expect(heldOut.length).toBeGreaterThan(60);
    const evaluation = evaluateAgentActs(loaded.model, heldOut);
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('reads a message clause by clause, with the amounts it explains in exact fen', () => {
    const reading = readAgentMessage(
      loaded.model,
      '让您久等了，非常抱歉。您本期应还２，３４５.６７元。请问还有其他可以帮您的吗？',
      calendarDate('2026-11-23'),
    );
    expect(reading.acts).toEqual(['empathise', 'explain_amount', 'close']);
    expect(reading.amountsFen.map((a) => a.fen)).toEqual([234567n]);
  });
});
