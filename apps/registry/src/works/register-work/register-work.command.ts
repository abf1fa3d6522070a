import type { Principal } from '#auth';
import type { WorkMetadataDto } from '../dto/register-work.dto.js';

export interface RegisterWorkCommand {
  principal: Principal;
  metadata: WorkMetadataDto;
  /** Lower-case hex SHA-256 of the content. */
  sha256: string;
  /** Present when the content was uploaded. */
  content?: {
    sizeBytes: number;
    mediaType: string;
    /** Moves the staged upload into the content store; called only once the registration is about to be written. */
    store?: () => Promise<unknown>;
  };
}
