import { type Fen, fen } from '../../money/fen.js';
import { compareRate, type Rate } from '../../money/rate.js';
import { divRound, type Rounding } from '../../money/rounding.js';
import { err, ok, type Result } from '../../shared/result.js';
import type { RestructuringPolicy } from './policy.js';

/** What a borrower owes, by component, when a restructuring is negotiated. */
export type Debt = {
  readonly principalFen: Fen;
  readonly interestFen: Fen;
  readonly feeFen: Fen;
  readonly penaltyFen: Fen;
};

export function debtTotalFen(debt: Debt): Fen {
  return fen(
    debt.principalFen + debt.interestFen + debt.feeFen + debt.penaltyFen,
  );
}

/** A waiver (减免) of shares of penalty, interest and fees, and an amount of principal. */
export type WaiverRequest = {
  readonly penaltyShare: Rate;
  readonly interestShare: Rate;
  readonly feeShare: Rate;
  readonly principalFen: Fen;
};

export type WaiverError = {
  readonly code: 'restructure.waiver_exceeds_policy';
  readonly component: 'penalty' | 'interest' | 'fee' | 'principal';
  readonly detail: string;
};

function share(amountFen: Fen, part: Rate, rounding: Rounding): Fen {
  return fen(divRound(amountFen * part.numerator, part.denominator, rounding));
}

/**
 * Applies a waiver within the policy's limits. Waived amounts round down to
 * the fen (the institution never waives more than it approved). Basis:
 * 减免 needs the lender's approval — the result is a proposal until signed.
 */
export function waive(
  debt: Debt,
  request: WaiverRequest,
  policy: RestructuringPolicy,
  rounding: Rounding = 'down',
): Result<{ readonly after: Debt; readonly waived: Debt }, WaiverError> {
  const checks: [WaiverError['component'], Rate, Rate][] = [
    ['penalty', request.penaltyShare, policy.penaltyWaiverShareMax],
    ['interest', request.interestShare, policy.interestWaiverShareMax],
    ['fee', request.feeShare, policy.feeWaiverShareMax],
  ];
  for (const [component, asked, limit] of checks) {
    if (compareRate(asked, limit) > 0) {
      return err({
        code: 'restructure.waiver_exceeds_policy',
        component,
        detail: `${component} waiver above the policy maximum`,
      });
    }
  }
  const principalLimitFen = share(
    debt.principalFen,
    policy.principalWaiverShareMax,
    'down',
  );
  if (request.principalFen > principalLimitFen || request.principalFen < 0n) {
    return err({
      code: 'restructure.waiver_exceeds_policy',
      component: 'principal',
      detail: `principal waiver above ${principalLimitFen} fen`,
    });
  }
  const waived: Debt = {
    principalFen: request.principalFen,
    interestFen: share(debt.interestFen, request.interestShare, rounding),
    feeFen: share(debt.feeFen, request.feeShare, rounding),
    penaltyFen: share(debt.penaltyFen, request.penaltyShare, rounding),
  };
  const after: Debt = {
    principalFen: fen(debt.principalFen - waived.principalFen),
    interestFen: fen(debt.interestFen - waived.interestFen),
    feeFen: fen(debt.feeFen - waived.feeFen),
    penaltyFen: fen(debt.penaltyFen - waived.penaltyFen),
  };
  return ok({ after, waived });
}
