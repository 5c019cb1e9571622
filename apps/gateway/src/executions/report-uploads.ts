import { BadRequestException, Inject, Injectable, PayloadTooLargeException } from '@nestjs/common';
import { InputTooLargeError, ParsedReport, ResultFormatError, parseJUnit } from '@testpulse/result-formats';
import busboy from 'busboy';
import bytes from 'bytes';
import type { Request } from 'express';
import { GatewayEnv } from '../env';

const MAX_FILES = 50;

/**
 * Reads JUnit XML uploads straight from the request stream (one raw XML body, or several files as
 * multipart/form-data), never holding the document: only the normalised results are kept.
 * Malformed or hostile XML (DTDs, entities) is a 400 naming where; too much is a 413.
 */
@Injectable()
export class ReportUploads {
  private readonly maxBytes: number;

  constructor(@Inject(GatewayEnv) env: GatewayEnv) {
    this.maxBytes = bytes.parse(env.INGEST_BODY_LIMIT) ?? 200 * 1024 * 1024;
  }

  async readJUnit(req: Request): Promise<ParsedReport[]> {
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) return this.readMultipart(req);
    try {
      return [await this.parse(() => parseJUnit(req, { maxBytes: this.maxBytes }))];
    } catch (error) {
      // Read the rest of a refused body, so the answer arrives and the connection can be reused.
      req.resume();
      throw error;
    }
  }

  private readMultipart(req: Request): Promise<ParsedReport[]> {
    return new Promise((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({ headers: req.headers, limits: { files: MAX_FILES, fileSize: this.maxBytes + 1 } });
      } catch (error) {
        reject(new BadRequestException(`malformed multipart upload: ${(error as Error).message}`));
        return;
      }
      const reports: Array<Promise<ParsedReport>> = [];
      let failure: Error | undefined;
      const fail = (error: Error) => {
        failure ??= error;
        req.unpipe(parser);
        req.resume();
      };
      parser.on('file', (_field, file, info) => {
        const name = info.filename || `file ${reports.length + 1}`;
        const report = this.parse(() => parseJUnit(file, { maxBytes: this.maxBytes }), name);
        // Keep reading the part even after a parse error, so the request can still be answered.
        report.catch(() => file.resume());
        reports.push(report);
      });
      parser.on('filesLimit', () =>
        fail(new PayloadTooLargeException(`at most ${MAX_FILES} files per upload`)),
      );
      parser.on('error', (error: Error) =>
        fail(new BadRequestException(`malformed multipart upload: ${error.message}`)),
      );
      parser.on('close', () => {
        if (failure) return reject(failure);
        if (reports.length === 0)
          return reject(new BadRequestException('the multipart upload holds no file'));
        Promise.all(reports).then(resolve, reject);
      });
      req.pipe(parser);
    });
  }

  private async parse(read: () => Promise<ParsedReport>, file?: string): Promise<ParsedReport> {
    try {
      return await read();
    } catch (error) {
      const where = file ? `${file}: ` : '';
      if (error instanceof InputTooLargeError) throw new PayloadTooLargeException(`${where}${error.message}`);
      if (error instanceof ResultFormatError) throw new BadRequestException(`${where}${error.message}`);
      throw error;
    }
  }
}
