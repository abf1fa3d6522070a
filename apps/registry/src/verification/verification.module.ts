import { Module } from '@nestjs/common';
import { CertificatesModule } from '../certificates/certificates.module.js';
import { PublicRegistrationQuery } from './public-registration.query.js';
import { VerificationController } from './verification.controller.js';

/** Public verification: lookups by content hash or work id, and the /verify page. */
@Module({
  imports: [CertificatesModule],
  controllers: [VerificationController],
  providers: [PublicRegistrationQuery],
})
export class VerificationModule {}
