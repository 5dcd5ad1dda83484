import express, { type ErrorRequestHandler, type Express } from 'express';
import { problem } from './problem';

/**
 * JSON bodies only, size-limited; a body that is not JSON, too large or in
 * another media type gets a problem+json answer before any handler runs.
 */
export function installJsonBody(app: Express, limit: string): void {
  app.use(express.json({ limit, strict: true, type: ['application/json', 'application/*+json'] }));
  const onBodyError: ErrorRequestHandler = (error, _req, res, next) => {
    const type = (error as { type?: string }).type;
    const answer =
      type === 'entity.parse.failed'
        ? problem(400, 'MALFORMED_JSON', 'The body is not valid JSON', 'the request body is not valid JSON', [{ path: '', message: 'not valid JSON' }])
        : type === 'entity.too.large'
          ? problem(413, 'PAYLOAD_TOO_LARGE', 'The body is too large', `request bodies are limited to ${limit}`)
          : type === 'encoding.unsupported' || type === 'charset.unsupported'
            ? problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported encoding', (error as Error).message)
            : null;
    if (!answer) return next(error);
    res.status(answer.status).type('application/problem+json').send(JSON.stringify(answer));
  };
  app.use(onBodyError);
  app.use((req: { body?: unknown }, res: { status(code: number): { type(t: string): { send(b: string): void } } }, next: () => void) => {
    const error = hostileStructure(req.body);
    if (!error) return next();
    res.status(400).type('application/problem+json').send(JSON.stringify(problem(400, 'VALIDATION_FAILED', 'The request is not valid', error.message, [error])));
  });
}

/** Deeper than any command needs; deeper bodies only cost the server. */
const MAX_DEPTH = 16;
/** Keys that would replace an object's prototype once a DTO is built from the body. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first key that could pollute a prototype, or nesting past MAX_DEPTH; null when the body is harmless. */
export function hostileStructure(value: unknown, path = '', depth = 0): { path: string; message: string } | null {
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_DEPTH) return { path: path || '', message: `nested deeper than ${MAX_DEPTH} levels` };
  for (const key of Object.keys(value)) {
    const child = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return { path: child, message: `${key} is not an allowed field name` };
    const found = hostileStructure((value as Record<string, unknown>)[key], child, depth + 1);
    if (found) return found;
  }
  return null;
}
