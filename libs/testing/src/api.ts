export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Objects are sent as JSON; a string is sent as is (e.g. malformed JSON). Content-Type defaults to JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The request fails after this long (default 30 s, below the e2e test timeout). */
  timeoutMs?: number;
}

// Test code reads fields of arbitrary JSON replies, so the body is `any` (cast it to narrow). `request` is
// deliberately not generic: `ReturnType<typeof request>` would then type the body as unknown.
export interface ApiResponse {
  status: number;
  /** Parsed JSON when the reply says it is JSON (and parses), otherwise the text ('' when empty). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
}

/** One HTTP call with global fetch, for end-to-end tests: `request(fleet.gatewayUrl, 'GET', '/api/v1/health')`. */
export async function request(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse> {
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
    body: parseBody(text, response.headers.get('content-type')),
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
  // Duck-typed: inside Jest, errors thrown by Node's fetch come from another realm (instanceof Error fails).
  if (typeof error !== 'object' || error === null) return String(error);
  const { name, message, cause } = error as { name?: string; message?: string; cause?: unknown };
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  if (typeof cause === 'object' && cause !== null) {
    const { code, message: causeMessage } = cause as { code?: unknown; message?: unknown };
    if (typeof code === 'string') return code;
    if (typeof causeMessage === 'string') return causeMessage;
  }
  return message ?? String(error);
}
