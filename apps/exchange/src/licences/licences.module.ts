import { Module } from '@nestjs/common';
import { LicenceConflicts } from './licence-conflicts.js';
import { LicencesController } from './licences.controller.js';
import { LicencesRepository } from './licences.repository.js';
import { VerifyLicence } from './verify-licence.query.js';

/** Licences: storage, conflict checks, and the public checks. */
@Module({
  controllers: [LicencesController],
  providers: [LicencesRepository, LicenceConflicts, VerifyLicence],
  exports: [LicencesRepository, LicenceConflicts],
})
export class LicencesModule {}
