// The registry's RFC 3161 time-stamp authority: one per process, all sharing
// the credentials in the data directory. Registrations get a token over the
// work's SHA-256; anyone may ask for tokens through POST /v1/tsa.
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppError, ErrorCode } from '#errors';
import { APP_CONFIG, type AppConfig } from '#platform';
import { TimeStampAuthority, TimeStampIssueError, type IssueResult, type LoadedTsaCredentials } from '#timestamp';

export const TSA_CREDENTIALS = Symbol('TSA_CREDENTIALS');

/** What a registration stores and binds into its ledger entry. */
export interface RegistrationTimeStamp {
  /** DER TimeStampResp (granted, with the TSA certificate). */
  response: Buffer;
  genTime: Date;
  serialNumber: string;
  /** Hex SHA-256 of `response`, carried by the work.registered entry. */
  responseSha256: string;
}

const WARN_BEFORE_EXPIRY_MS = 90 * 24 * 3600 * 1000;

@Injectable()
export class TimeStampingService implements OnModuleInit {
  private readonly logger = new Logger(TimeStampingService.name);
  private readonly authority: TimeStampAuthority;

  constructor(
    @Inject(TSA_CREDENTIALS) private readonly loaded: LoadedTsaCredentials,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.authority = new TimeStampAuthority(loaded.credentials, { accuracy: { seconds: 1 } });
  }

  onModuleInit(): void {
    const { notAfter } = this.loaded.credentials;
    this.logger.log(`TSA ${this.loaded.credentials.tsaCert.subject.replace(/\n/g, ', ')} from ${this.loaded.source}${this.loaded.created ? ' (generated now)' : ''}, valid until ${notAfter.toISOString()}`);
    if (notAfter.getTime() - Date.now() < WARN_BEFORE_EXPIRY_MS) {
      this.logger.warn(`the TSA certificate expires on ${notAfter.toISOString()}: issue a new one before then, or registrations will fail`);
    }
    if (!this.config.tsa.registrationTokens) this.logger.warn('REGISTRATION_TIMESTAMPS=off: new registrations get no time-stamp token');
  }

  get caCertPem(): string {
    return this.loaded.pems.caCertPem;
  }

  get tsaCertPem(): string {
    return this.loaded.pems.tsaCertPem;
  }

  /** Answers a DER TimeStampReq; problems with the request become rejection responses. */
  issue(request: Uint8Array): Promise<IssueResult> {
    return this.authority.issueDetailed(request);
  }

  /**
   * The token for a new registration (undefined when switched off). A token
   * takes ~35 us (its ECDSA signature on the thread pool), so it is issued in
   * the registration path; a TSA that
   * cannot sign (e.g. an expired certificate) fails the registration rather
   * than let it through without its evidence.
   */
  async stampRegistration(sha256: Buffer): Promise<RegistrationTimeStamp | undefined> {
    if (!this.config.tsa.registrationTokens) return undefined;
    try {
      const stamp = await this.authority.timeStampSha256(sha256);
      const response = Buffer.from(stamp.response);
      return { response, genTime: stamp.genTime, serialNumber: stamp.serialNumber.toString(), responseSha256: createHash('sha256').update(response).digest('hex') };
    } catch (error) {
      if (error instanceof TimeStampIssueError) {
        this.logger.error(`cannot time-stamp a registration: ${error.message}`);
        throw new AppError(ErrorCode.ServiceUnavailable, 'The time-stamp authority cannot issue tokens right now; registration is paused. Retry later.');
      }
      throw error;
    }
  }
}
