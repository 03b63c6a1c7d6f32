import type { FastifyError, FastifyInstance } from 'fastify';
import { InputError } from '../wire/input-error.js';
import { HttpRefusal } from './refusal.js';

// One translation of failures into HTTP (STYLE §4): caller mistakes are 4xx
// with a stable code and the field named; anything else is a 500 whose body
// says nothing about the inside (the log has it, without PII).

export type ErrorBody = {
  error: { code: string; message: string; field?: string };
};

function fieldOfValidation(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (first === undefined) return undefined;
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const missing = (first.params as { missingProperty?: string } | undefined)
    ?.missingProperty;
  return (
    [path, missing]
      .filter((part) => part !== undefined && part !== '')
      .join('.') || undefined
  );
}

/**
 * `spaIndex`: when the web workspace is built, a GET outside /api that finds
 * no file gets the app's index page (client-side routes such as /chat).
 */
export function installErrorHandler(
  app: FastifyInstance,
  spaIndex?: string,
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpRefusal) {
      const body: ErrorBody = {
        error: { code: error.code, message: error.message },
      };
      if (error.field !== undefined) body.error.field = error.field;
      return reply.status(error.status).send(body);
    }
    if (error instanceof InputError) {
      const body: ErrorBody = {
        error: { code: error.code, message: error.message },
      };
      if (error.field !== undefined) body.error.field = error.field;
      return reply.status(400).send(body);
    }
    if (error.validation !== undefined) {
      const field = fieldOfValidation(error);
      const message =
        field === undefined
          ? error.message
          : `${field}: ${error.validation[0]?.message ?? 'is invalid'}`;
      const body: ErrorBody = { error: { code: 'input.invalid', message } };
      if (field !== undefined) body.error.field = field;
      return reply.status(400).send(body);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send({
        error: {
          code: error.code ?? 'request.refused',
          message: error.message,
        },
      });
    }
    request.log.error(
      { err: { message: error.message, code: error.code } },
      'request failed',
    );
    return reply.status(500).send({
      error: {
        code: 'server.internal',
        message: '服务暂时不可用，请稍后再试。',
      },
    });
  });
  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url.startsWith('/api/') || request.url === '/api';
    if (spaIndex !== undefined && request.method === 'GET' && !isApi) {
      return reply.sendFile(spaIndex);
    }
    return reply.status(404).send({
      error: {
        code: 'route.not_found',
        message: `no route ${request.method} ${request.url.split('?')[0]}`,
      },
    });
  });
}
