// Builds an HTTP app the same way for registry and exchange: security headers,
// body limits, validation, one error shape, OpenAPI at /docs.
import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { AppConfig } from '#config';
import { ErrorResponseFilter } from './error-response.filter.js';
import { InFlightRequests } from './in-flight-requests.js';
import { InputHygieneInterceptor } from './input-hygiene.js';
import { createValidationPipe } from './validation.pipe.js';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug'];

export function logLevels(config: AppConfig): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1);
}

export interface HttpAppOptions {
  title: string;
  description: string;
  jsonLimit?: string;
}

export async function createHttpApp(module: unknown, config: AppConfig, options: HttpAppOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module as never, { logger: logLevels(config), bodyParser: false });
  configureHttpApp(app, options);
  return app;
}

/** Separate from creation so tests can apply it to a Test.createTestingModule app. */
export function configureHttpApp(app: INestApplication, options: HttpAppOptions): void {
  const expressApp = app as NestExpressApplication;
  // First, so a request counts for graceful shutdown from the moment it arrives.
  expressApp.use(app.get(InFlightRequests).track);
  expressApp.disable('x-powered-by');
  expressApp.set('query parser', 'simple');
  expressApp.use(
    helmet({
      contentSecurityPolicy: {
        directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'", "'unsafe-inline'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] },
      },
    }),
  );
  expressApp.useBodyParser('json', { limit: options.jsonLimit ?? '256kb', strict: true });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new InputHygieneInterceptor());
  app.useGlobalFilters(new ErrorResponseFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(options.description)
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}

export async function listen(app: INestApplication, config: AppConfig, port: number, name: string): Promise<void> {
  await app.listen(port, config.host);
  new Logger(name).log(`${name} listening on http://${config.host}:${port} (OpenAPI at /docs)`);
}
