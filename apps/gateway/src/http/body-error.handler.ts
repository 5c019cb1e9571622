import { currentContext } from '@testpulse/observability';
import type { NextFunction, Request, Response } from 'express';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
  /** The raw text, on parse failures. */
  body?: string;
}

/** "Unexpected token } in JSON at position 42" → "line 3, column 7: Unexpected token }…". */
export function describeJsonError(message: string, body: string | undefined): string {
  const position = /position (\d+)/.exec(message);
  if (!position || body === undefined) return message;
  const before = body.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${message}`;
}

/**
 * Errors of the body parser happen before Nest routes the request: answer them here, in the same
 * shape as every other error (413 for an oversized body, 400 naming where the JSON broke).
 */
export function bodyErrorHandler(
  err: BodyParserError,
  _req: Request,
  res: Response,
  next: NextFunction,
): void {
  const correlationId = currentContext()?.correlationId;
  if (err.type === 'entity.too.large') {
    res.status(413).json({
      statusCode: 413,
      error: 'Payload too large',
      message: `request body exceeds the limit of ${err.limit} bytes`,
      correlationId,
    });
    return;
  }
  if (err.type === 'entity.parse.failed') {
    res.status(400).json({
      statusCode: 400,
      error: 'Bad request',
      message: `malformed JSON body: ${describeJsonError(err.message, err.body)}`,
      correlationId,
    });
    return;
  }
  if (err.status && err.status >= 400 && err.status < 500) {
    res
      .status(err.status)
      .json({ statusCode: err.status, error: 'Bad request', message: err.message, correlationId });
    return;
  }
  next(err);
}
