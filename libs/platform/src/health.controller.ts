// Liveness and readiness: 200 when the database and Redis answer, else 503,
// so a load balancer stops sending traffic while a dependency is down. Also
// says whether this process is the active ledger sequencer (or a standby).
import { Controller, Get, HttpStatus, Optional, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { RedisProbe } from './redis-probe.js';
import { LedgerStatus } from './ledger/ledger-status.js';
import { Public } from './public.decorator.js';

async function databaseUp(dataSource: DataSource): Promise<boolean> {
  try {
    await Promise.race([
      dataSource.query('SELECT 1'),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: RedisProbe,
    @Optional() private readonly ledger?: LedgerStatus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Health of this process and its database and Redis connections' })
  async health(@Res() response: FastifyReply): Promise<void> {
    const [database, redis] = await Promise.all([databaseUp(this.dataSource), this.redis.ping()]);
    const ok = database && redis;
    response.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send({
      status: ok ? 'ok' : 'degraded',
      checks: { database: database ? 'up' : 'down', redis: redis ? 'up' : 'down' },
      ...(this.ledger ? { ledger: { sequencer: this.ledger.sequencer } } : {}),
    });
  }
}
