import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ErrorOutput,
  LoanInput,
  PayoffOutput,
  PositionInput,
  PrepayInput,
  PrepayOutput,
  RestructureInput,
  RestructureOutput,
  ScheduleOutput,
} from '../../../../contracts/loan.js';
import { todayInChina } from '../../../clock/today.js';
import type { JsonObject } from '../../../wire/input-error.js';
import {
  payoffAnswer,
  prepayAnswer,
  restructureAnswer,
  scheduleAnswer,
} from '../../../wire/loan-answers.js';

const errors = { 400: ErrorOutput };

/**
 * The loan engine's calculators (no stored data, no PII): the same JSON as
 * `loandesk schedule | payoff | prepay | restructure`.
 */
export const calculatorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/calculator/schedule',
    {
      schema: {
        tags: ['calculator'],
        summary: '还款计划 schedule, totals and APR',
        body: LoanInput,
        response: { 200: ScheduleOutput, ...errors },
      },
    },
    async (request) =>
      scheduleAnswer(request.body as JsonObject, todayInChina()),
  );
  app.post(
    '/calculator/payoff',
    {
      schema: {
        tags: ['calculator'],
        summary: '提前结清报价 payoff quote on a date',
        body: PositionInput,
        response: { 200: PayoffOutput, ...errors },
      },
    },
    async (request) => payoffAnswer(request.body as JsonObject, todayInChina()),
  );
  app.post(
    '/calculator/prepay',
    {
      schema: {
        tags: ['calculator'],
        summary: '提前部分还款 partial prepayment',
        body: PrepayInput,
        response: { 200: PrepayOutput, ...errors },
      },
    },
    async (request) => prepayAnswer(request.body as JsonObject, todayInChina()),
  );
  app.post(
    '/calculator/restructure',
    {
      schema: {
        tags: ['calculator'],
        summary: '展期 / 个性化分期 / 停息挂账',
        body: RestructureInput,
        response: { 200: RestructureOutput, ...errors },
      },
    },
    async (request) =>
      restructureAnswer(request.body as JsonObject, todayInChina()),
  );
};
