// The endpoints of an app, as its OpenAPI document declares them, and the
// routes the app actually serves (so an endpoint missing from the document
// cannot hide from the attack tests either; see served-routes.ts).
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
export { servedRoutes } from '../../support/served-routes.js';

export interface Endpoint {
  method: string;
  /** OpenAPI path template, e.g. /v1/works/{id}. */
  path: string;
  /** "GET /v1/works/{id}" */
  key: string;
  parameters: Array<{ name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema?: Record<string, unknown> }> };
  security?: unknown[];
}

export async function openApiEndpoints(app: INestApplication): Promise<{ endpoints: Endpoint[]; document: Record<string, unknown> }> {
  const document = (await request(app.getHttpServer()).get('/docs/openapi.json').expect(200)).body as {
    paths: Record<string, Record<string, Omit<Endpoint, 'method' | 'path' | 'key'>>>;
  };
  const endpoints: Endpoint[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const upper = method.toUpperCase();
      endpoints.push({ method: upper, path, key: `${upper} ${path}`, parameters: operation.parameters ?? [], requestBody: operation.requestBody, security: operation.security });
    }
  }
  return { endpoints, document };
}

/** Fills an OpenAPI path template. */
export function fillPath(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`no value for path parameter {${name}} of ${template}`);
    return encodeURIComponent(params[name]!);
  });
}
