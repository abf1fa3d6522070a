// Which use of the original a suspect copy amounts to, for the question "does
// the suspect party hold a licence covering it?" (then the report is
// `licensed`, not an infringement).
//
// - A copy published online (a sighting): information-network dissemination
//   (信息网络传播权), online, in the sighting's territory, on the day it was
//   seen (Beijing time), unless the reporter names another right or medium.
// - A copy registered by another party: reproduction for an exact copy,
//   adaptation for a near copy, in CN (the registry's jurisdiction), on the
//   day it was registered, in any one medium the licence names.
import { coversUse, isMedium, MEDIA, Medium, Right, type LicenceTerms, type LicensedUse } from '#licensing';

export interface SuspectUse {
  right: Right;
  territory: string;
  /** The medium, or every concrete medium (a registration is not tied to one). */
  media: Medium | 'each';
  /** YYYY-MM-DD. */
  at: string;
}

/** The calendar date of an instant in Beijing time (licence periods are calendar dates). */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

export function sightingUse(sighting: { territory: string; seenAt: Date; right?: Right; medium?: Medium }): SuspectUse {
  return { right: sighting.right ?? Right.InformationNetworkDissemination, territory: sighting.territory, media: sighting.medium ?? Medium.Online, at: beijingDate(sighting.seenAt) };
}

export function registrationUse(matchKind: 'exact' | 'near', registeredAt: Date): SuspectUse {
  return { right: matchKind === 'exact' ? Right.Reproduction : Right.Adaptation, territory: 'CN', media: 'each', at: beijingDate(registeredAt) };
}

/** Whether `terms` cover the use (for 'each', some concrete medium of the licence). */
export function licenceCovers(terms: LicenceTerms, use: SuspectUse): boolean {
  const media = use.media === 'each' ? MEDIA.filter((m) => m !== Medium.Any) : [use.media];
  return media.some((medium) => isMedium(medium) && coversUse(terms, { right: use.right, territory: use.territory, media: medium, at: use.at } satisfies LicensedUse));
}
