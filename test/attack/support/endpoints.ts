// The endpoints of an app, as its OpenAPI document declares them, and the
// routes Express actually serves (so an endpoint missing from the document
// cannot hide from the attack tests either).
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';

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

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  rawPath?: string;
  name?: string;
}

/** Route keys Express serves ("GET /v1/works/{id}") and the paths sub-apps are mounted at (e.g. "/admin/queues"). */
export function expressRoutes(app: INestApplication): { routes: string[]; mounts: string[] } {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: RouterLayer[] }; _router?: { stack: RouterLayer[] } };
  const stack = (express.router ?? express._router)!.stack;
  const routes: string[] = [];
  const mounts: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const path = layer.route.path.replace(/:(\w+)/g, '{$1}');
      for (const method of Object.keys(layer.route.methods)) if (method !== '_all') routes.push(`${method.toUpperCase()} ${path}`);
    } else if (typeof layer.rawPath === 'string' && layer.rawPath !== '/' && layer.rawPath !== '') {
      mounts.push(layer.rawPath);
    }
  }
  return { routes: [...new Set(routes)], mounts: [...new Set(mounts)] };
}

/** Fills an OpenAPI path template. */
export function fillPath(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`no value for path parameter {${name}} of ${template}`);
    return encodeURIComponent(params[name]!);
  });
}
