import { ValidationError, ValidationPipe } from '@nestjs/common';
import { rpcError } from './rpc-error';

/** Flattens class-validator errors into messages that name the field path, e.g. `results[0].status`. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      parent ? `${path}: ${message}` : message,
    );
    return [...own, ...describeValidationErrors(error.children ?? [], path)];
  });
}

export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
} as const;

/** Whitelist validation for message handlers: bad payloads become INVALID_ARGUMENT naming the fields. */
export function messageValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    exceptionFactory: (errors) => {
      const problems = describeValidationErrors(errors);
      return rpcError('INVALID_ARGUMENT', problems.join('; '), { problems });
    },
  });
}
