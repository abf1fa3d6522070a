// Calendar dates as ISO 8601 `YYYY-MM-DD` strings. Licence periods are legal
// calendar dates, not instants, so they are never turned into `Date` objects
// (which would drag in a time zone). Fixed-width strings also compare
// correctly with plain `<`, which is all the overlap logic needs.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * True for a real Gregorian calendar date in years 0001–9999 (the range
 * PostgreSQL's `date` and every counterparty's systems agree on; year 0 does
 * not exist in the Gregorian calendar).
 */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
