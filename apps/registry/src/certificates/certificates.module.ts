// Certificates of registration: JSON, PDF and the time-stamp response, built
// from the ledger evidence of a work.
import { Module } from '@nestjs/common';
import { TsaModule } from '../tsa/tsa.module.js';
import { WorksModule } from '../works/works.module.js';
import { CertificateService } from './certificate.service.js';
import { CertificatesController } from './certificates.controller.js';
import { WorkEvidenceRepository } from './work-evidence.repository.js';

@Module({
  imports: [WorksModule, TsaModule],
  controllers: [CertificatesController],
  providers: [CertificateService, WorkEvidenceRepository],
  exports: [CertificateService, WorkEvidenceRepository],
})
export class CertificatesModule {}
