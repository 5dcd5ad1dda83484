import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { templateWorkbook, XLSX_MEDIA_TYPE } from '@ktt/application';
import { AnyRole } from '../auth/auth.decorators';
import { attachment } from './attachment';

@ApiTags('spreadsheets')
@ApiBearerAuth()
@Controller('api/imports')
export class TemplateController {
  /** Built once: it depends on nothing but the template's columns and words. */
  private built: Promise<Buffer> | null = null;

  /**
   * The empty import template. It holds no data (only the columns, the words the import accepts and
   * its notes), so any signed-in role may take it; still with a token, like every path under /api
   * but the transparency log's, so the api's surface without one stays what api.md lists.
   */
  @Get('template.xlsx')
  @AnyRole()
  @ApiOperation({ summary: 'The empty import template: the header row, drop-down lists of the accepted words, and a sheet of notes' })
  @ApiProduces(XLSX_MEDIA_TYPE)
  @ApiResponse({ status: 200, description: 'The template workbook', content: { [XLSX_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } } } })
  async template(@Res() res: Response): Promise<void> {
    this.built ??= templateWorkbook();
    const file = await this.built;
    res.status(200);
    res.setHeader('Content-Type', XLSX_MEDIA_TYPE);
    res.setHeader('Content-Disposition', attachment('mau-nhap-to-chuc-kinh-te-tap-the.xlsx'));
    res.setHeader('Content-Length', String(file.length));
    res.end(file);
  }
}
