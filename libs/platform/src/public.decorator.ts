import { SetMetadata } from '@nestjs/common';

/** Metadata key marking endpoints anyone may call without an API key. */
export const PUBLIC_KEY = 'auth:public';

/** Anyone may call this endpoint without a key (read and verify only). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
