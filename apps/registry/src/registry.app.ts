// Builds the registry HTTP app (used by main.ts and by the end-to-end tests).
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '#config';
import { createHttpApp } from '#platform';
import { RegistryModule } from './registry.module.js';

export function createRegistryApp(config: AppConfig): Promise<INestApplication> {
  return createHttpApp(RegistryModule.forRoot(config), config, {
    title: 'Copyright registry',
    description: 'Register works, read and verify the public append-only ledger.',
    largestUploadBytes: Math.max(config.upload.maxBytes, config.upload.sightingMaxBytes),
  });
}
