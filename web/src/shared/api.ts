// The workspace talks to the LoanDesk server over HTTP only (STYLE §2: web
// depends on contracts, never on the server's code). The session travels in
// the httpOnly cookie the login route sets; nothing is kept in scripts.

export type ApiError = {
  code: string;
  message: string;
  field?: string;
  [extra: string]: unknown;
};

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
    readonly body: unknown,
  ) {
    super(error.message);
  }
}

const UNAUTHORIZED_EVENT = 'loandesk:unauthorized';

/** Called when any request answers 401: the session is gone. */
export function onUnauthorized(listener: () => void): () => void {
  window.addEventListener(UNAUTHORIZED_EVENT, listener);
  return () => window.removeEventListener(UNAUTHORIZED_EVENT, listener);
}

type RequestOptions = {
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
};

async function request<T>(
  method: string,
  path: string,
  body: unknown,
  options: RequestOptions,
): Promise<T> {
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) init.body = JSON.stringify(body);
  if (options.signal !== undefined) init.signal = options.signal;
  const response = await fetch(`/api/v1${path}`, init);
  const text = await response.text();
  let data: unknown;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const envelope = data as { error?: ApiError } | undefined;
    const error = envelope?.error ?? {
      code: 'http.error',
      message: `HTTP ${response.status}`,
    };
    if (response.status === 401 && !path.startsWith('/auth/login'))
      window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    throw new ApiRequestError(response.status, error, data);
  }
  return data as T;
}

export function getJson<T>(path: string, options: RequestOptions = {}) {
  return request<T>('GET', path, undefined, options);
}

export function postJson<T>(
  path: string,
  body: unknown = {},
  options: RequestOptions = {},
) {
  return request<T>('POST', path, body, options);
}

export function putJson<T>(
  path: string,
  body: unknown,
  options: RequestOptions = {},
) {
  return request<T>('PUT', path, body, options);
}

/** A message for people: the server's zh-CN message, or a generic one. */
export function errorText(caught: unknown, fallback: string): string {
  return caught instanceof ApiRequestError ? caught.error.message : fallback;
}
