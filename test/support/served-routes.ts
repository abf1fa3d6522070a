// The routes an app's Fastify instance serves, recorded as they are added
// (Fastify offers no list of them afterwards), so the attack tests can find
// endpoints the OpenAPI document does not declare. Record before app.init():
// Nest adds its routes then.
import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

export interface ServedRoutes {
  /** "GET /v1/works/{id}" */
  routes: Set<string>;
  /** Prefixes of routes added by plugins (e.g. the queue dashboard at /admin/queues). */
  mounts: Set<string>;
}

const recorded = new WeakMap<INestApplication, ServedRoutes>();

export function recordRoutes(app: INestApplication): void {
  const served: ServedRoutes = { routes: new Set(), mounts: new Set() };
  recorded.set(app, served);
  (app.getHttpAdapter().getInstance() as FastifyInstance).addHook('onRoute', (route) => {
    if (route.prefix) {
      served.mounts.add(route.prefix);
      return;
    }
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    for (const method of [route.method].flat()) if (method !== 'HEAD') served.routes.add(`${method} ${path}`);
  });
}

export function servedRoutes(app: INestApplication): { routes: string[]; mounts: string[] } {
  const served = recorded.get(app);
  if (!served) throw new Error('routes were not recorded for this app (see recordRoutes)');
  return { routes: [...served.routes], mounts: [...served.mounts] };
}
