// Proves the HTTP surface of the loan engine through Fastify's inject (no
// port): health, the OpenAPI document, the calculators' contract numbers,
// 4xx answers that name the field, JSON 404s, body and rate limits, and the
// security headers.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/adapters/http/build-app.js';

let app: FastifyInstance;

beforeAll(async () => {
  app = await buildApp();
});

afterAll(async () => {
  await app.close();
});

const LOAN = {
  principal: 100000,
  annual_rate: 0.049,
  term_months: 36,
  method: 'equal_installment',
  start_date: '2026-01-15',
};

describe('system routes', () => {
  it('answers health with 200', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
  });

  it('serves an OpenAPI document listing the calculators', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json() as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/health',
        '/api/v1/calculator/schedule',
        '/api/v1/calculator/payoff',
      ]),
    );
  });

  it('serves a browsable API page', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/nowhere',
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: {
        code: 'route.not_found',
        message: 'no route GET /api/v1/nowhere',
      },
    });
  });

  it('sends security headers', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.headers['content-security-policy']).toContain(
      "default-src 'self'",
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('calculator routes', () => {
  it('returns the contract schedule for the contract example', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/calculator/schedule',
      payload: LOAN,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      payment: '2992.60',
      total_interest: '7733.69',
      apr_nominal: '0.049000',
      apr_effective: '0.050116',
    });
  });

  it('quotes a payoff', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/calculator/payoff',
      payload: { loan: LOAN, paid_periods: 12, as_of: '2027-01-20' },
    });
    expect(response.statusCode).toBe(200);
    const quote = response.json() as { principal: string; total: string };
    expect(Number(quote.total)).toBeGreaterThan(Number(quote.principal));
  });

  it.each([
    [{ ...LOAN, annual_rate: '4.9%' }, 'annual_rate'],
    [{ ...LOAN, term_months: 0 }, 'term_months'],
    [{ ...LOAN, principal: -1 }, 'principal'],
    [{ annual_rate: 0.049, term_months: 36, method: 'flat' }, 'principal'],
    [{ ...LOAN, method: 'balloon' }, 'method'],
  ])('refuses %j with 400 naming %s', async (payload, field) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/calculator/schedule',
      payload,
    });
    expect(response.statusCode).toBe(400);
    const body = response.json() as {
      error: { field: string; message: string };
    };
    expect(body.error.field).toBe(field);
    expect(body.error.message).toMatch(new RegExp(`^${field}: `));
    expect(response.body).not.toMatch(/\bat\s+\S+:\d+|stack/);
  });

  it('refuses a body over the size limit with 413', async () => {
    const payload = JSON.stringify({ ...LOAN, padding: 'x'.repeat(1_100_000) });
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/calculator/schedule',
      payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(413);
  });
});

describe('rate limit', () => {
  it('answers 429 once a client exceeds its budget', async () => {
    const limited = await buildApp({ rateLimitPerMinute: 3 });
    const codes: number[] = [];
    for (let i = 0; i < 5; i += 1)
      codes.push(
        (await limited.inject({ method: 'GET', url: '/api/v1/health' }))
          .statusCode,
      );
    await limited.close();
    expect(codes).toEqual([200, 200, 200, 429, 429]);
  });
});
