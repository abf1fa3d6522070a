// Amounts cross the API as integer fen, sent as a decimal string or a safe
// integer and always returned as a decimal string (exact beyond 2^53).
import { AppError, ErrorCode } from '#errors';
import { MoneyError, parseAmount } from '#money';

export function amountFromApi(value: unknown, field: string): bigint {
  try {
    const amount = parseAmount(value);
    if (amount === 0n) throw new AppError(ErrorCode.InvalidAmount, `${field} must be at least 1 fen.`, { field });
    return amount;
  } catch (error) {
    if (error instanceof MoneyError) {
      throw new AppError(ErrorCode.InvalidAmount, `${field}: ${error.message} (integer fen, e.g. "12345" for 123.45 CNY).`, { field });
    }
    throw error;
  }
}

export const fen = (amount: bigint | string | number): string => BigInt(amount).toString();
