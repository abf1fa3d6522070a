// 64-bit values (LSH band keys, pHashes) as 16 hex digits in the libraries
// and as signed bigint in PostgreSQL.

/** 16 hex digits → the decimal text of the same 64 bits as a signed int8. */
export function hexToInt8(hex: string): string {
  if (!/^[0-9a-f]{16}$/.test(hex)) throw new Error(`not a 64-bit hex value: ${hex}`);
  return BigInt.asIntN(64, BigInt(`0x${hex}`)).toString();
}

/** A signed int8 (as pg returns it: a string) → 16 hex digits. */
export function int8ToHex(value: string | bigint): string {
  return BigInt.asUintN(64, BigInt(value)).toString(16).padStart(16, '0');
}
