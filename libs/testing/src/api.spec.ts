import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeFetchError, joinUrl, parseBody, request } from './api';

describe('api helpers', () => {
  it('joins base URL and path with exactly one slash', () => {
    expect(joinUrl('http://h:1/', '/api/v1/x')).toBe('http://h:1/api/v1/x');
    expect(joinUrl('http://h:1', 'api')).toBe('http://h:1/api');
  });

  it('parses JSON replies only', () => {
    expect(parseBody('{"a":1}', 'application/json; charset=utf-8')).toEqual({ a: 1 });
    expect(parseBody('{"a":1}', 'text/plain')).toBe('{"a":1}');
    expect(parseBody('not json', 'application/json')).toBe('not json');
    expect(parseBody('', 'application/json')).toBe('');
  });

  it('describes fetch failures by their cause', () => {
    expect(describeFetchError(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }))).toBe(
      'ECONNREFUSED',
    );
    expect(describeFetchError(new DOMException('x', 'TimeoutError'))).toBe('timeout');
  });
});

describe('request', () => {
  let server: Server;
  let baseUrl: string;
  const seen: { method?: string; url?: string; headers?: IncomingMessage['headers']; body?: string } = {};

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        Object.assign(seen, { method: req.method, url: req.url, headers: req.headers, body });
        if (req.url === '/text') {
          res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
          return;
        }
        res.writeHead(201, { 'content-type': 'application/json', 'x-correlation-id': 'c-1' });
        res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('sends JSON with a bearer token and returns status, parsed body and headers', async () => {
    const res = await request(baseUrl, 'post', '/api/v1/things', {
      token: 'tok',
      body: { name: 'a' },
      headers: { 'X-Correlation-Id': 'c-1' },
    });
    expect(res).toEqual({ status: 201, body: { ok: true }, headers: expect.any(Object) });
    expect(res.headers['x-correlation-id']).toBe('c-1');
    expect(seen).toMatchObject({ method: 'POST', url: '/api/v1/things', body: '{"name":"a"}' });
    expect(seen.headers).toMatchObject({
      authorization: 'Bearer tok',
      'content-type': 'application/json',
      'x-correlation-id': 'c-1',
    });
  });

  it('sends a string body as is and returns text replies as text', async () => {
    const res = await request(baseUrl, 'PUT', 'text', { body: '{broken' });
    expect(res.body).toBe('hello');
    expect(seen.body).toBe('{broken');
    expect(seen.headers?.authorization).toBeUndefined();
  });

  it('names the call when the server cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(request(`http://127.0.0.1:${port}`, 'GET', '/x')).rejects.toThrow(
      `GET http://127.0.0.1:${port}/x failed: ECONNREFUSED`,
    );
  });
});
