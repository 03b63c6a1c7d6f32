// Proves the role matrix grants what each job needs and nothing it must not
// have, row by row: each line ends in the expected answer.
import { describe, expect, it } from 'vitest';
import { can, caseScope, type Permission, type Role } from './permissions.js';

describe('role permissions', () => {
  it.each<[Role, Permission, boolean]>([
    ['agent', 'conversation.take_over', true],
    ['agent', 'customer.read_masked', true],
    ['agent', 'customer.export', false],
    ['agent', 'customer.read_unmasked', false],
    ['agent', 'payment.reverse', false],
    ['agent', 'application.submit', true],
    ['agent', 'application.decide', false],
    ['agent', 'application.disburse', false],
    ['agent', 'loan.prepay', false],
    ['collector', 'application.read', false],
    ['collector', 'loan.transition', false],
    ['negotiator', 'loan.prepay', true],
    ['negotiator', 'application.decide', false],
    ['supervisor', 'application.decide', true],
    ['supervisor', 'loan.transition', true],
    ['admin', 'application.disburse', false],
    ['admin', 'payment.reverse', false],
    ['collector', 'collection.contact', true],
    ['collector', 'negotiation.sign', false],
    ['collector', 'conversation.take_over', false],
    ['negotiator', 'negotiation.sign', true],
    ['negotiator', 'user.manage', false],
    ['supervisor', 'qa.override', true],
    ['supervisor', 'customer.export', false],
    ['supervisor', 'customer.read_unmasked', true],
    ['admin', 'user.manage', true],
    ['admin', 'customer.export', true],
    ['admin', 'conversation.reply', false],
  ])('%s may %s: %s', (role, permission, expected) => {
    expect(can([role], permission)).toBe(expected);
  });

  it('grants nothing without a role', () => {
    expect(can([], 'calculator.use')).toBe(false);
  });

  it('limits collectors and negotiators to their assigned cases', () => {
    expect(caseScope(['collector'])).toBe('assigned');
    expect(caseScope(['negotiator'])).toBe('assigned');
    expect(caseScope(['collector', 'supervisor'])).toBe('all');
  });
});
