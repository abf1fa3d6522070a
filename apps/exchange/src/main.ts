// Exchange process entry point.
import 'reflect-metadata';
import { loadConfigOrExit } from '#config';
import { listen, exitOnLedgerKeyMismatch } from '#platform';
import { createExchangeApp } from './exchange.app.js';

const config = loadConfigOrExit();
await exitOnLedgerKeyMismatch(config);
const app = await createExchangeApp(config);
await listen(app, config, config.exchangePort, 'Exchange');
