import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

export class EnvValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment: ${problems.join('; ')}`);
    this.name = 'EnvValidationError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((message) =>
      e.value === undefined ? `${e.property} is required (${message})` : message,
    ),
  );
}

/**
 * Reads and validates an app's environment against its schema class. This is the one place in the
 * fleet that reads process.env; every app calls it once at boot and injects the typed result.
 * Unknown variables are ignored, missing required ones and bad values are reported by name.
 */
export function loadEnv<T extends object>(
  schema: new () => T,
  source: Record<string, string | undefined> = process.env,
): T {
  const defined = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(schema, defined, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new EnvValidationError([...new Set(describe(errors))]);
  return env;
}

/** loadEnv for a process entry point: a bad environment stops the app with a message naming the variables. */
export function loadEnvOrExit<T extends object>(schema: new () => T, app: string): T {
  try {
    return loadEnv(schema);
  } catch (error) {
    if (!(error instanceof EnvValidationError)) throw error;
    process.stderr.write(`${JSON.stringify({ level: 'fatal', service: app, msg: error.message })}\n`);
    process.exit(1);
  }
}
