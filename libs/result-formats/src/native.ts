import 'reflect-metadata';
import { CreateExecutionDto, type TestResultDto } from '@testpulse/contracts';
import type { TestResult } from '@testpulse/domain';
import { plainToInstance } from 'class-transformer';
import { type ValidationError, validateSync } from 'class-validator';
import { ResultFormatError } from './errors';
import { parseJsonText } from './json';
import { type ParsedReport, countSuites } from './report';

/** Problems reported at most in one error message. */
const MAX_PROBLEMS = 5;

interface Problem {
  path: string;
  message: string;
}

/** Flattens class-validator errors into messages that start with the field path (`results[3].status …`). */
export function validationProblems(errors: ValidationError[], parent = ''): Problem[] {
  return errors.flatMap((error) => {
    const path = !parent
      ? error.property
      : /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      path,
      message: message.startsWith(`${error.property} `)
        ? `${path}${message.slice(error.property.length)}`
        : `${path}: ${message}`,
    }));
    return [...own, ...validationProblems(error.children ?? [], path)];
  });
}

function toResult(dto: TestResultDto): TestResult {
  const result: TestResult = {
    suite: dto.suite,
    name: dto.name,
    status: dto.status,
    durationMs: dto.durationMs,
  };
  if (dto.file !== undefined) result.file = dto.file;
  if (dto.attempts !== undefined) result.attempts = dto.attempts.map((a) => ({ ...a }));
  if (dto.error !== undefined) result.error = { ...dto.error };
  if (dto.tags !== undefined) result.tags = [...dto.tags];
  if (dto.flaky !== undefined) result.flaky = dto.flaky;
  if (dto.systemOut !== undefined) result.systemOut = dto.systemOut;
  if (dto.systemErr !== undefined) result.systemErr = dto.systemErr;
  return result;
}

/**
 * Reads the platform's own JSON report (the body of `POST /executions`: `{project, runId, name?,
 * branch?, commit?, environment?, startedAt?, finishedAt?, results: [...]}`), given parsed or as JSON
 * text, validated by the same rules as the API (`CreateExecutionDto`; unknown fields are refused).
 * Errors name the field path, e.g. `results[3].status must be one of the following values: …`.
 */
export function parseNative(json: unknown): ParsedReport {
  const doc = typeof json === 'string' || json instanceof Uint8Array ? parseJsonText(json) : json;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ResultFormatError('a testpulse JSON report must be a JSON object');
  }
  if (!Array.isArray((doc as { results?: unknown }).results)) {
    throw new ResultFormatError('results must be an array', { path: 'results' });
  }
  const dto = plainToInstance(CreateExecutionDto, doc);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const problems = validationProblems(errors);
    const shown = problems.slice(0, MAX_PROBLEMS).map((p) => p.message);
    if (problems.length > MAX_PROBLEMS) shown.push(`and ${problems.length - MAX_PROBLEMS} more problems`);
    throw new ResultFormatError(shown.join('; '), { path: problems[0]?.path });
  }

  const results = (dto.results ?? []).map(toResult);
  const report: ParsedReport = {
    format: 'native',
    suites: countSuites(results),
    results,
    project: dto.project,
    runId: dto.runId,
  };
  for (const key of ['name', 'branch', 'commit', 'environment', 'startedAt', 'finishedAt'] as const) {
    if (dto[key] !== undefined) report[key] = dto[key];
  }
  if (dto.startedAt && dto.finishedAt) {
    const ms = Date.parse(dto.finishedAt) - Date.parse(dto.startedAt);
    if (ms >= 0) report.durationMs = ms;
  }
  return report;
}
