import { CliError, EXIT, oneLine } from './cli-error';

export interface Request {
  url: string;
  headers: Record<string, string>;
  /** Made anew for every try (a body stream cannot be sent twice). */
  body: () => Promise<NonNullable<RequestInit['body']>>;
}

export interface Reply {
  status: number;
  text: string;
}

export interface SendOptions {
  /** Tries after the first one for a 502/503/504/429 or a connection reset. */
  retries: number;
  /** Per try. */
  timeoutMs: number;
  /** First wait between tries; it doubles each time. */
  backoffMs: number;
  /** Where retry notices go. */
  log: (line: string) => void;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** Connection failures after which the same request is worth sending again. */
const RETRY_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const MAX_RETRY_AFTER_MS = 60_000;

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string; name?: string } } | undefined)?.cause;
  const own = error as { code?: string; name?: string } | undefined;
  if (own?.name === 'TimeoutError' || own?.name === 'AbortError') return 'ETIMEDOUT';
  return cause?.code ?? own?.code ?? cause?.name;
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, seconds * 1000));
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - Date.now()));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends a request, trying again (up to `retries` times, with exponential backoff) after a 502, 503, 504
 * or 429 or a reset connection. Safe for uploads because the run id is the server's idempotency key.
 * A connection refused, a DNS failure or any other status is final.
 */
export async function send(request: Request, options: SendOptions): Promise<Reply> {
  for (let attempt = 0; ; attempt++) {
    const wait = options.backoffMs * 2 ** attempt;
    const last = attempt >= options.retries;
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: await request.body(),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const code = errorCode(error);
      if (!last && code && RETRY_CODES.has(code)) {
        options.log(
          `${code} from the server; trying again in ${wait / 1000} s (${attempt + 1}/${options.retries})`,
        );
        await sleep(wait);
        continue;
      }
      const what = code ?? oneLine((error as Error).message ?? String(error));
      throw new CliError(`cannot reach ${new URL(request.url).origin}: ${what}`, EXIT.failed);
    }
    const text = await response.text().catch(() => '');
    if (!last && RETRY_STATUSES.has(response.status)) {
      const delay = retryAfterMs(response.headers.get('retry-after')) ?? wait;
      options.log(
        `HTTP ${response.status} from the server; trying again in ${delay / 1000} s (${attempt + 1}/${options.retries})`,
      );
      await sleep(delay);
      continue;
    }
    return { status: response.status, text };
  }
}

/** The server's message of an error reply (Nest's `{statusCode, message, error, correlationId}`). */
export function serverMessage(reply: Reply): string {
  let message = reply.text.trim().slice(0, 2000);
  try {
    const body = JSON.parse(reply.text) as { message?: unknown; error?: unknown; correlationId?: unknown };
    const stated = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? body.error);
    if (typeof stated === 'string' && stated) message = stated;
    if (typeof body.correlationId === 'string') message += ` (correlation id ${body.correlationId})`;
  } catch {
    // Not JSON: the text as it is.
  }
  return oneLine(`HTTP ${reply.status}${message ? `: ${message}` : ''}`);
}
