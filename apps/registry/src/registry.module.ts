// The registry app: works, the public ledger API, admin key management, and
// infringement reports, sightings and disputes.
import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '#config';
import { AuthModule } from '#auth';
import { LedgerModule, PlatformModule } from '#platform';
import { AdminController } from './admin/admin.controller.js';
import { LedgerApiController } from './ledger-api/ledger-api.controller.js';
import { WorksModule } from './works/works.module.js';
import { CertificatesModule } from './certificates/certificates.module.js';
import { CorrectionsModule } from './corrections/corrections.module.js';
import { TsaModule } from './tsa/tsa.module.js';
import { VerificationModule } from './verification/verification.module.js';
import { InfringementModule } from './infringement/infringement.module.js';

@Module({})
export class RegistryModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RegistryModule,
      imports: [PlatformModule.forRoot(config, 'registry'), LedgerModule.forRoot({ sequence: true }), AuthModule, WorksModule, TsaModule, CertificatesModule, CorrectionsModule, VerificationModule, InfringementModule],
      controllers: [AdminController, LedgerApiController],
    };
  }
}
