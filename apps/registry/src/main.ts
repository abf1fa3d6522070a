// Registry process entry point.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ApiKeyService } from '#auth';
import { loadConfigOrExit } from '#config';
import { listen, exitOnLedgerKeyMismatch } from '#platform';
import { createRegistryApp } from './registry.app.js';

const config = loadConfigOrExit();
await exitOnLedgerKeyMismatch(config);
const app = await createRegistryApp(config);
const bootstrap = await app.get(ApiKeyService).bootstrapAdminKey();
if (bootstrap) {
  // Printed once, on the very first start; only its hash is stored.
  process.stdout.write(
    `\n  First start: created an admin API key. Store it now; it is not shown again:\n\n    ${bootstrap.key}\n\n` +
      `  (or set ADMIN_API_KEY to use your own)\n\n`,
  );
}
await listen(app, config, config.registryPort, 'Registry');
new Logger('Registry').log(`public ledger API at ${config.publicBaseUrl}/v1/ledger/checkpoint`);
