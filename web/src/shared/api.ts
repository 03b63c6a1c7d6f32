// The workspace talks to the LoanDesk server over HTTP only (STYLE §2: web
// depends on contracts, never on the server's code).

export type ApiError = { code: string; message: string; field?: string };

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
  ) {
    super(error.message);
  }
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data: unknown = await response.json();
  if (!response.ok) {
    const error = (data as { error?: ApiError }).error ?? {
      code: 'http.error',
      message: `HTTP ${response.status}`,
    };
    throw new ApiRequestError(response.status, error);
  }
  return data as T;
}
