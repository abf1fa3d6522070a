// The worker has no API, but orchestrators still need to ask whether it is
// alive and connected: a bare HTTP server answering GET /health only.
import http from 'node:http';
import type { DataSource } from 'typeorm';
import type { RedisProbe } from '#platform';

export function startHealthServer(port: number, host: string, dataSource: DataSource, redis: RedisProbe): http.Server {
  const server = http.createServer(async (request, response) => {
    if (request.method !== 'GET' || request.url !== '/health') {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Only GET /health is served here.' } }));
      return;
    }
    const database = await dataSource.query('SELECT 1').then(() => true, () => false);
    const redisUp = await redis.ping();
    const ok = database && redisUp;
    response
      .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: ok ? 'ok' : 'degraded', checks: { database: database ? 'up' : 'down', redis: redisUp ? 'up' : 'down' } }));
  });
  server.listen(port, host);
  return server;
}
