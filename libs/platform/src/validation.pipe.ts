// Whitelist validation for every DTO: unknown fields are refused, types are
// converted, and the error lists each bad field with what is wrong with it.
import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError, ErrorCode } from '#errors';

function flatten(errors: ValidationError[], prefix = ''): Array<{ field: string; problems: string[] }> {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const summary = fields.map((f) => `${f.field}: ${f.problems.join('; ')}`).join(' | ');
      return new AppError(ErrorCode.ValidationFailed, `Invalid request: ${summary}`, { fields });
    },
  });
}
