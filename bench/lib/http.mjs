// The benchmarks' HTTP client for the gateway's API: keep-alive node:http (the client shares the
// machine with the fleet, and node:http costs it about a third of the CPU fetch does per request).
import http from 'node:http';

const REQUEST_TIMEOUT_MS = 120_000;
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

/**
 * One request to `${base}/api/v1${path}` → `{status, body, cache, ms}` (ms from sending to the last
 * byte; `cache`: the X-Cache header). The body of a success is parsed only when `parse`.
 */
export function send(base, token, method, path, body, parse = true) {
  const started = performance.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${base}/api/v1${path}`,
      {
        method,
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const ms = performance.now() - started;
          const status = response.statusCode ?? 0;
          let parsed;
          if (parse || (status !== 200 && status !== 201)) {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = text;
            }
          }
          resolve({ status, body: parsed, cache: response.headers['x-cache'] ?? null, ms });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(payload);
  });
}

/** As send(), but an answer whose status is not `expected` throws, naming the request. */
export async function call(base, token, method, path, body, expected = [200, 201]) {
  const res = await send(base, token, method, path, body);
  if (!expected.includes(res.status))
    throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res;
}
