// The public face of the time-stamp authority: its certificates (the trust
// anchor for `openssl ts -verify`) and a standard RFC 3161 endpoint over HTTP
// (RFC 3161 section 3.4) for creators who time-stamp drafts before they
// register. Tokens are not stored: the requester keeps them.
import { Controller, Get, Header, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { ApiKeyService, Public } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { clientAddress } from '#platform';
import { TimeStampingService } from './time-stamping.service.js';
import { TsaRateLimiter } from './tsa-rate-limiter.js';

const QUERY_TYPE = 'application/timestamp-query';
const REPLY_TYPE = 'application/timestamp-reply';
const MAX_QUERY_BYTES = 16 * 1024;

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    request.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        request.resume();
        reject(new AppError(ErrorCode.PayloadTooLarge, `A time-stamp query is at most ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => !done && resolve(Buffer.concat(chunks)));
    request.on('error', (error) => !done && reject(error));
  });
}

@ApiTags('time-stamp authority (public)')
@Public()
@Controller('v1/tsa')
export class TsaController {
  private readonly logger = new Logger(TsaController.name);

  constructor(
    private readonly tsa: TimeStampingService,
    private readonly limiter: TsaRateLimiter,
    private readonly keys: ApiKeyService,
  ) {}

  @Get('certs')
  @Header('Content-Type', 'application/x-pem-file')
  @ApiOperation({ summary: 'The TSA CA certificate, then the TSA signing certificate (PEM)' })
  certs(): string {
    return this.tsa.caCertPem + this.tsa.tsaCertPem;
  }

  @Get('certs/ca.pem')
  @Header('Content-Type', 'application/x-pem-file')
  @ApiOperation({ summary: 'The TSA CA certificate (PEM): `openssl ts -verify -CAfile`' })
  caCert(): string {
    return this.tsa.caCertPem;
  }

  @Get('certs/tsa.pem')
  @Header('Content-Type', 'application/x-pem-file')
  @ApiOperation({ summary: 'The TSA signing certificate (PEM): `openssl ts -verify -untrusted`' })
  tsaCert(): string {
    return this.tsa.tsaCertPem;
  }

  @Post()
  @ApiOperation({
    summary: 'RFC 3161 time-stamping',
    description:
      'Send a DER TimeStampReq as application/timestamp-query (e.g. `openssl ts -query -data draft.txt -sha256 -cert`); ' +
      'the answer is a DER TimeStampResp. The nonce is echoed, the certificate is included when certReq is set, and ' +
      'unsupported hash algorithms get a rejection with failInfo badAlg. An API key is optional: with one the limit is ' +
      'per key, without one per client address; over the limit the answer is 429 with Retry-After.',
  })
  @ApiConsumes(QUERY_TYPE)
  @ApiProduces(REPLY_TYPE)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 200, description: 'A TimeStampResp: granted with a token, or a rejection with its failInfo.' })
  @ApiResponse({ status: 429, description: 'Too many requests from this key or address; see Retry-After.' })
  async timeStamp(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    const caller = await this.caller(request);
    const decision = await this.limiter.take(caller);
    response.header('RateLimit-Limit', String(decision.limit));
    response.header('RateLimit-Remaining', String(decision.remaining));
    if (!decision.allowed) {
      response.header('Retry-After', String(decision.retryAfterSeconds));
      throw new AppError(ErrorCode.TooManyRequests, `At most ${decision.limit} time-stamp requests per minute; retry in ${decision.retryAfterSeconds} s.`, {
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== QUERY_TYPE) throw new AppError(ErrorCode.UnsupportedMediaType, `Send a DER TimeStampReq as ${QUERY_TYPE}.`);
    const body = await readBody(request.raw, MAX_QUERY_BYTES);
    const result = await this.tsa.issue(body);
    if (result.status === 'rejection') this.logger.debug(`rejected a time-stamp request: ${result.failInfo} (${result.reason})`);
    response.status(200).type(REPLY_TYPE).header('Cache-Control', 'no-store').send(Buffer.from(result.response));
  }

  /** A key, when one is sent, must be valid; without one the caller is its address. */
  private async caller(request: FastifyRequest): Promise<{ keyId: string } | { address: string }> {
    const header = request.headers.authorization;
    if (header === undefined) return { address: clientAddress(request) };
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await this.keys.authenticate(match[1]!) : undefined;
    if (!principal) throw new AppError(ErrorCode.Unauthenticated, 'The API key is unknown or revoked (or send no Authorization header at all).');
    return { keyId: principal.keyId };
  }
}
