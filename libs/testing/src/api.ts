export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Objects are sent as JSON; a string is sent as is (e.g. malformed JSON). Content-Type defaults to JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The request fails after this long (default 30 s, below the e2e test timeout). */
  timeoutMs?: number;
}

// Test code reads fields of arbitrary JSON replies; `any` by default keeps that terse. Pass T to narrow.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ApiResponse<T = any> {
  status: number;
  /** Parsed JSON when the reply says it is JSON (and parses), otherwise the text ('' when empty). */
  body: T;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
}

/** One HTTP call with global fetch, for end-to-end tests: `request(fleet.gatewayUrl, 'GET', '/api/v1/health')`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function request<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const url = joinUrl(baseUrl, path);
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const verb = method.toUpperCase();
  let response: Response;
  try {
    response = await fetch(url, {
      method: verb,
      headers,
      body: payload,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new Error(`${verb} ${url} failed: ${describeFetchError(error)}`, { cause: error });
  }
  const text = await response.text();
  return {
    status: response.status,
    body: parseBody(text, response.headers.get('content-type')) as T,
    headers: Object.fromEntries(response.headers.entries()),
  };
}

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function parseBody(text: string, contentType: string | null): unknown {
  if (text === '' || !/json/i.test(contentType ?? '')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `ECONNREFUSED`, `timeout` or the message of a failed fetch. */
export function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timeout';
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
