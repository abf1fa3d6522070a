// The media a licence may be exercised in. Deliberately coarse: each value is
// treated as disjoint from every other, except `any`, which overlaps them all.

export enum Medium {
  Print = 'print',
  Online = 'online',
  BroadcastTv = 'broadcast_tv',
  Radio = 'radio',
  Cinema = 'cinema',
  Mobile = 'mobile',
  PhysicalMedia = 'physical_media',
  Live = 'live',
  /** Every medium, including ones added to this enum later. */
  Any = 'any',
}

/** All values in canonical order (the order normalised terms are sorted in). */
export const MEDIA: readonly Medium[] = Object.freeze(Object.values(Medium));

const MEDIUM_VALUES: ReadonlySet<string> = new Set(MEDIA);

export function isMedium(value: unknown): value is Medium {
  return typeof value === 'string' && MEDIUM_VALUES.has(value);
}
