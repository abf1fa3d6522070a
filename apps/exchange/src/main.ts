// Exchange process entry point.
import 'reflect-metadata';
import { loadConfigOrExit } from '#config';
import { listen } from '#platform';
import { createExchangeApp } from './exchange.app.js';

const config = loadConfigOrExit();
const app = await createExchangeApp(config);
await listen(app, config, config.exchangePort, 'Exchange');
