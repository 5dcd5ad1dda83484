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
}
