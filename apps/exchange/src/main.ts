// Exchange process entry point.
import 'reflect-metadata';
import { loadConfigOrExit } from '#config';
import { createHttpApp, listen } from '#platform';
import { ExchangeModule } from './exchange.module.js';

const config = loadConfigOrExit();
const app = await createHttpApp(ExchangeModule.forRoot(config), config, {
  title: 'Cultural property exchange',
  description: 'Accounts, listings, licences, assignments and settlement.',
});
await listen(app, config, config.exchangePort, 'Exchange');
