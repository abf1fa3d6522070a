import type { Role } from '#persistence';

/** Who is calling: resolved from the API key by the guard. */
export interface Principal {
  keyId: string;
  role: Role;
  /** The party acting; null only for the configured ADMIN_API_KEY. */
  partyId: string | null;
}
