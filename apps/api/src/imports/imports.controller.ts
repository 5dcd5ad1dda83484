import { Controller, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { Request, Response } from 'express';
import {
  CSV_MEDIA_TYPE,
  ImportFileRefused,
  OrganizationCommandHandler,
  sniffFormat,
  spoolFile,
  SpreadsheetImport,
  XLSX_MEDIA_TYPE,
  type SpreadsheetFormat,
} from '@ktt/application';
import type { EventStore } from '@ktt/event-store';
import { Requires } from '../auth/auth.decorators';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { commandContextOf } from '../http/request-context';
import { problem } from '../http/problem';
import { IsLocalDate } from '../http/validators';
import { ProblemResponses } from '../openapi/problem-responses';
import { AnswerResponse } from '../openapi/answer-responses';
import { EVENT_STORE } from '../tokens';

class ImportQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'answer what a real run would do, writing nothing' })
  @IsOptional() @IsIn(['true', 'false']) dryRun?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'record the differences from the register as dated changes (needs effectiveOn)' })
  @IsOptional() @IsIn(['true', 'false']) applyChanges?: string;

  @ApiPropertyOptional({ format: 'date', description: 'the date the applied changes take effect on (with applyChanges=true)' })
  @IsOptional() @IsLocalDate() effectiveOn?: string;

  @ApiPropertyOptional({ description: 'the file name recorded with every event (default: from Content-Disposition, else "upload.xlsx" or "upload.csv")' })
  @IsOptional() @IsString() @Length(1, 200) @Matches(/^[^\p{Cc}\p{Cs}]+$/u, { message: 'fileName must not hold control characters' }) fileName?: string;
}

/** Media types by format; Excel on Windows labels a CSV upload application/vnd.ms-excel. */
const FORMAT_OF_MEDIA_TYPE: Record<string, SpreadsheetFormat> = {
  [XLSX_MEDIA_TYPE]: 'xlsx',
  [CSV_MEDIA_TYPE]: 'csv',
  'application/csv': 'csv',
  'application/vnd.ms-excel': 'csv',
};

/**
 * POST /api/imports (issue 17): the file is the body. It is spooled to a temporary file first (its
 * SHA-256 goes into every event, so it must be known before the first row is written), then read
 * streaming, row by row, through the organization command handler (SpreadsheetImport).
 */
@ApiTags('imports')
@ApiBearerAuth()
@Requires('organizations:write')
@ProblemResponses(400)
@Controller('api/imports')
export class ImportsController {
  private readonly importer: SpreadsheetImport;

  constructor(@Inject(EVENT_STORE) store: EventStore, handler: OrganizationCommandHandler) {
    this.importer = new SpreadsheetImport(store, handler);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Import organizations from the template (XLSX or CSV body): { rows, created, unchanged, changed, differences, refused }' })
  @ApiConsumes(XLSX_MEDIA_TYPE, CSV_MEDIA_TYPE)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  // No If-Match or Idempotency-Key: an import writes many streams, and is idempotent by registration number.
  @ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'recorded with every event of the import (1–100 of letters, digits, `_.:-`); else one is made' })
  @ApiHeader({ name: 'Content-Disposition', required: false, description: 'attachment; filename="…" (or filename*=UTF-8\'\'…): the file name recorded with every event, unless fileName is given' })
  @AnswerResponse('ImportReport', 'the report by row: differences [{ row, column, recorded, file }], refused [{ row, column, code, message, messages: { vi, en } }]')
  async import(@Req() request: AuthenticatedRequest, @Query() query: ImportQueryDto, @Res({ passthrough: true }) response: Response) {
    const context = commandContextOf(request);
    try {
      const format = formatOf(request);
      const spooled = await spoolFile(request);
      try {
        if (format === 'xlsx' && (await sniffFormat(spooled.path)) !== 'xlsx') throw new ImportFileRefused('FILE_UNREADABLE', 'the body is not an XLSX workbook (not a zip file)');
        const name = query.fileName?.normalize('NFC') ?? fileNameOf(request) ?? `upload.${format}`;
        return await this.importer.run({ path: spooled.path, format, name, sha256: spooled.sha256 }, context, {
          dryRun: query.dryRun === 'true',
          applyChanges: query.applyChanges === 'true',
          effectiveOn: query.effectiveOn,
        });
      } finally {
        await spooled.remove();
      }
    } catch (error) {
      if (!(error instanceof ImportFileRefused)) throw error;
      // A file refused as a whole: nothing of it was written.
      const answer = problem(error.status, error.code, 'The file is refused', error.message, error.errors);
      response.status(answer.status).type('application/problem+json');
      return answer;
    }
  }
}

function formatOf(request: Request): SpreadsheetFormat {
  const [type, ...parameters] = (request.header('content-type') ?? '').split(';').map((part) => part.trim().toLowerCase());
  const format = FORMAT_OF_MEDIA_TYPE[type ?? ''];
  if (!format) {
    throw new ImportFileRefused('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be ${XLSX_MEDIA_TYPE} or ${CSV_MEDIA_TYPE}`, [{ path: 'header:Content-Type', message: `${type || 'none'} is neither XLSX nor CSV` }]);
  }
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ImportFileRefused('ENCODING_NOT_UTF8', `files are UTF-8; charset=${charset} is refused`, [{ path: 'header:Content-Type', message: `charset=${charset} is not UTF-8` }]);
  }
  return format;
}

/** A name as recorded: NFC, no control characters, at most 200 characters; null when nothing is left. */
function clean(name: string): string | null {
  const cleaned = name.normalize('NFC').replace(/[\p{Cc}\p{Cs}]/gu, '').trim().slice(0, 200);
  return cleaned === '' ? null : cleaned;
}

/** `filename*=UTF-8''…` (RFC 6266) or `filename="…"` of Content-Disposition. */
function fileNameOf(request: Request): string | null {
  const disposition = request.header('content-disposition');
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      return clean(decodeURIComponent(extended[1]!));
    } catch {
      return null;
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain ? clean(plain[1]!) : null;
}
