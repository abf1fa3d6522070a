// Validates a plain object against a DTO class outside the pipe (for bodies
// that arrive as multipart fields), with the same rules and error shape.
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate } from 'class-validator';
import { AppError, ErrorCode } from '#errors';
import { assertCleanInput } from './input-hygiene.js';
import { createValidationPipe } from './validation.pipe.js';

export async function validateDto<T extends object>(cls: ClassConstructor<T>, plain: unknown): Promise<T> {
  // Multipart fields never pass the global input check: same rules here.
  assertCleanInput(plain, 'body');
  if (plain !== undefined && plain !== null && (typeof plain !== 'object' || Array.isArray(plain))) {
    throw new AppError(ErrorCode.ValidationFailed, 'Invalid request: the body must be a JSON object.');
  }
  const instance = plainToInstance(cls, plain ?? {}, { enableImplicitConversion: false });
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw (createValidationPipe() as unknown as { exceptionFactory: (e: unknown) => Error }).exceptionFactory(errors);
  return instance;
}
