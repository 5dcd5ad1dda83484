import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ANSWER_SCHEMAS } from './answer-responses';

export const BEARER_SCHEME = 'bearer';

/**
 * The OpenAPI document: a contract other tools read (a generated client, the linter in `npm test`), so it
 * is built in one place for the running api (/docs) and for `npm run openapi` (no server).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Collective economy registry')
      .setVersion('1')
      .setLicense('UNLICENSED', 'https://spdx.org/licenses/')
      // Relative: the document is served by the api it describes, on whatever address it listens.
      .addServer('/', 'The api serving this document')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
      // Every operation needs the token unless it says otherwise (@Public, auth.decorators.ts).
      .addSecurityRequirements(BEARER_SCHEME)
      .setDescription(
        'System of record for cooperative groups, cooperatives and unions of cooperatives.\n\n' +
          '**Authentication**: every endpoint but /health, /metrics and /docs needs `Authorization: Bearer <token>`. ' +
          'Mint a token with `npm run cli -- token --role admin|registrar|auditor|analyst [--province 91] [--subject NAME] [--days N]` ' +
          '(registrars: `--subject` names the person; at most 366 days) and revoke one with `npm run cli -- token revoke <jti>`; ' +
          'the first start of the embedded default prints an admin token. Click "Authorize" and paste the token.\n\n' +
          '**Errors** are `application/problem+json` (RFC 9457) with a stable `code` and, for a refused field, ' +
          '`errors: [{path, message}]`.',
      )
      .build(),
  );
  // The answers' schemas, generated from their TypeScript types (infra/openapi/answer-schemas.ts).
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...ANSWER_SCHEMAS } };
  return document;
}
