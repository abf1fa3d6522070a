// UUIDs in one form, lowercase, from the moment they enter: PostgreSQL
// compares and stores uuid values case-insensitively (and returns them in
// lowercase), but the code compares and hashes strings. An uppercase
// derivedFrom went into the registration's metadata hash as sent while the
// stored row said lowercase, so the certificate rebuilt from that row failed
// its own verification; an uppercase id also slipped past string comparisons
// (a work amended to derive from itself).
import { ParseUUIDPipe, type ArgumentMetadata } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsUUID } from 'class-validator';

const lowercased = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);

/** A DTO field holding a UUID: validated, then kept in lowercase. */
export function IsUuid(): PropertyDecorator {
  const toLowercase = Transform(({ value }) => lowercased(value));
  const isUuid = IsUUID();
  return (target, property) => {
    toLowercase(target, property);
    isUuid(target, property);
  };
}

class CanonicalUuidPipe extends ParseUUIDPipe {
  override async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    return lowercased(await super.transform(value, metadata)) as string;
  }
}

/** A route parameter holding a UUID: 400 if it is not one, lowercase if it is. */
export const UuidParam = new CanonicalUuidPipe();
