// Proves on every dialect that the negotiation policy is data: the shipped
// default (content/negotiation/policy.yaml) is read by negotiators and
// supervisors over GET /api/v1/negotiation/policy; an administrator stores a
// new version with PUT (schema-checked, refused without the right role or on
// a stale base version, audited with who, why, before and after); and both
// the HTTP plan pricing, signing and `loandesk negotiate --loan` use the
// version in force from then on.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Role } from '../../src/domain/security/permissions.js';
import { DIALECTS, TEST_SECRET_KEY } from '../db/dialects.js';
import { seedLoan, WANG } from '../db/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { openStoreApp, type StoreApp } from './store-app.js';

type Json = Record<string, unknown>;
type PlanJson = {
  kind: string;
  months: number;
  within_policy: boolean;
  policy_breaches: string[];
  terms: Json;
};

const SHIPPED = parseYaml(
  readFileSync(
    new URL('../../content/negotiation/policy.yaml', import.meta.url),
    'utf8',
  ),
) as Record<string, unknown>;

const TIGHT = {
  max_months: 6,
  max_penalty_waiver: '0.5',
  max_interest_waiver: '0',
  min_first_payment_yuan: '20000.00',
  settlement_discount_max: '0.1',
  discount_rate_annual: '0.08',
};

describe.each(DIALECTS)('negotiation policy as data on %s', (dialect) => {
  let s: StoreApp;

  beforeAll(async () => {
    s = await openStoreApp(dialect);
    await seedLoan(s.repos, 'L202612601', WANG);
  }, 60_000);

  afterAll(async () => {
    await s?.close();
  });

  const call = (
    role: Role | 'nobody',
    method: 'GET' | 'PUT',
    url: string,
    payload?: Json,
  ) =>
    s.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: s.as(role),
      ...(payload === undefined ? {} : { payload }),
    });

  const plans = async () => {
    const response = await call(
      'supervisor',
      'GET',
      '/loans/L202612601/negotiation/plans?income=9000&expenses=4000',
    );
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { policy_version: number; plans: PlanJson[] };
  };

  const cliPlans = () => {
    const result = runCli(
      [
        'negotiate',
        '--loan',
        'L202612601',
        '--income',
        '9000',
        '--expenses',
        '4000',
        '--json',
      ],
      '',
      {
        DATABASE_URL: s.database.url,
        LOANDESK_SECRET_KEY: TEST_SECRET_KEY.toString('hex'),
      },
    );
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as {
      policy_version: number;
      plans: PlanJson[];
    };
  };

  it('serves the shipped default, stores an audited admin override, and prices and signs under it', async () => {
    const shipped = await call('negotiator', 'GET', '/negotiation/policy');
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect(shipped.json()).toMatchObject({
      version: SHIPPED.version,
      source: 'file',
      saved_by: null,
      policy: { max_months: SHIPPED.max_months },
    });
    const shippedPolicy = (shipped.json() as { policy: Json }).policy;
    expect(Number(shippedPolicy.min_first_payment_yuan)).toBe(
      Number(SHIPPED.min_first_payment_yuan),
    );
    expect(Number(shippedPolicy.max_interest_waiver)).toBe(
      Number(SHIPPED.max_interest_waiver),
    );
    expect(
      (await call('collector', 'GET', '/negotiation/policy')).statusCode,
    ).toBe(403);
    expect(
      (await call('nobody', 'GET', '/negotiation/policy')).statusCode,
    ).toBe(401);
    expect((await call('admin', 'GET', '/negotiation/policy')).statusCode).toBe(
      200,
    );

    const before = await plans();
    expect(before.policy_version).toBe(SHIPPED.version);
    expect(before.plans.some((p) => p.within_policy)).toBe(true);
    expect(before.plans.some((p) => p.months > TIGHT.max_months)).toBe(true);

    const request = {
      base_version: SHIPPED.version as number,
      reason: '风险委员会2026年第12次会议决议收紧协商政策',
      policy: TIGHT,
    };
    expect(
      (await call('negotiator', 'PUT', '/negotiation/policy', request))
        .statusCode,
    ).toBe(403);
    expect(
      (await call('supervisor', 'PUT', '/negotiation/policy', request))
        .statusCode,
    ).toBe(403);
    const tooLong = await call('admin', 'PUT', '/negotiation/policy', {
      ...request,
      policy: { ...TIGHT, max_months: 61 },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toMatchObject({
      error: { field: 'policy.max_months' },
    });
    const badShare = await call('admin', 'PUT', '/negotiation/policy', {
      ...request,
      policy: { ...TIGHT, max_penalty_waiver: '1.5' },
    });
    expect(badShare.statusCode).toBe(400);
    const noReason = await call('admin', 'PUT', '/negotiation/policy', {
      ...request,
      reason: '',
    });
    expect(noReason.statusCode).toBe(400);
    const stale = await call('admin', 'PUT', '/negotiation/policy', {
      ...request,
      base_version: 0,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      error: { code: 'negotiation.policy_conflict' },
    });

    const saved = await call('admin', 'PUT', '/negotiation/policy', request);
    expect(saved.statusCode, saved.body).toBe(200);
    const version = (SHIPPED.version as number) + 1;
    expect(saved.json()).toMatchObject({
      version,
      source: 'database',
      saved_by: 'user:admin',
      reason: request.reason,
      policy: { max_months: 6 },
    });
    const read = (
      await call('negotiator', 'GET', '/negotiation/policy')
    ).json() as {
      version: number;
      policy: Json;
    };
    expect(read.version).toBe(version);
    expect(Number(read.policy.min_first_payment_yuan)).toBe(20_000);
    expect(Number(read.policy.discount_rate_annual)).toBe(0.08);
    // The same base version again is now stale.
    expect(
      (await call('admin', 'PUT', '/negotiation/policy', request)).statusCode,
    ).toBe(409);

    const audit = await s.database.db
      .selectFrom('audit_log')
      .select(['actor', 'subject_id', 'details'])
      .where('action', '=', 'negotiation.policy_update')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toBe('user:admin');
    expect(audit[0]?.subject_id).toBe(String(version));
    const details = JSON.parse(audit[0]?.details ?? '{}') as {
      reason: string;
      before: Json;
      after: Json;
    };
    expect(details.reason).toBe(request.reason);
    expect(details.before.max_months).toBe(SHIPPED.max_months);
    expect(details.after.max_months).toBe(6);

    // Pricing over HTTP and on the command line uses the new version: every
    // plan's first payment is below ¥20,000, so none is within policy, and
    // the waiver plan waives no interest.
    const after = await plans();
    expect(after.policy_version).toBe(version);
    expect(after.plans.length).toBeGreaterThan(0);
    for (const plan of after.plans) {
      expect(plan.within_policy).toBe(false);
      expect(plan.policy_breaches).toContain('first_payment');
    }
    const waiver = after.plans.find((p) => p.kind === 'waiver');
    if (waiver !== undefined)
      expect(Number(waiver.terms.interest_waiver)).toBe(0);
    const cli = cliPlans();
    expect(cli.policy_version).toBe(version);
    expect(cli.plans.map((p) => [p.kind, p.months, p.within_policy])).toEqual(
      after.plans.map((p) => [p.kind, p.months, p.within_policy]),
    );

    // Signing checks the version in force: a plan within the old policy now
    // needs a supervisor's approval.
    const reamortize = before.plans.find(
      (p) => p.kind === 'reamortize' && p.within_policy,
    );
    if (reamortize === undefined) throw new Error('no reamortize plan');
    const assigned = await s.app.inject({
      method: 'POST',
      url: '/api/v1/collections/assignments',
      headers: s.as('supervisor'),
      payload: { loan_no: 'L202612601', username: 'negotiator' },
    });
    expect(assigned.statusCode, assigned.body).toBeLessThan(300);
    const sign = await s.app.inject({
      method: 'POST',
      url: '/api/v1/loans/L202612601/negotiation/agreements',
      headers: {
        ...s.as('negotiator'),
        'idempotency-key': `policy-${dialect}`,
      },
      payload: { terms: reamortize.terms, income: 9000, expenses: 4000 },
    });
    expect(sign.statusCode, sign.body).toBe(403);
    expect(sign.json()).toMatchObject({
      error: { code: 'negotiation.approval_required' },
    });
  }, 120_000);
});
