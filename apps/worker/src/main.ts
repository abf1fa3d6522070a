// Worker process entry point: an application context, no HTTP API.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '#config';
import { logLevels, RedisProbe, exitOnLedgerKeyMismatch } from '#platform';
import { startHealthServer } from './health-server.js';
import { WorkerModule } from './worker.module.js';

const config = loadConfigOrExit();
await exitOnLedgerKeyMismatch(config);
const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: logLevels(config) });
app.enableShutdownHooks();
const server = startHealthServer(config.workerHealthPort, config.host, app.get(DataSource), app.get(RedisProbe));
process.once('SIGTERM', () => server.close());
new Logger('Worker').log(`worker running; health at http://${config.host}:${config.workerHealthPort}/health`);
