// Infringement in the registry: the officers' reports API and search page,
// sightings, authorship disputes and the queue dashboard. Detection itself
// runs in the worker (apps/worker/src/scan); this module only reads its
// results and moves reports through their workflow.
import { Module } from '@nestjs/common';
import { AuthModule } from '#auth';
import { CertificatesModule } from '../certificates/certificates.module.js';
import { TsaModule } from '../tsa/tsa.module.js';
import { WorksModule } from '../works/works.module.js';
import { DisputesController } from './disputes/disputes.controller.js';
import { DisputesService } from './disputes/disputes.service.js';
import { OfficersPageController } from './officers/officers-page.controller.js';
import { QueueDashboard } from './queue-dashboard.js';
import { ChangeReportStatusUseCase } from './reports/change-report-status.usecase.js';
import { EvidencePackageService } from './reports/evidence-package.service.js';
import { ReportDetailQuery } from './reports/report-detail.query.js';
import { ReportsController } from './reports/reports.controller.js';
import { ReportsRepository } from './reports/reports.repository.js';
import { SightingsController } from './sightings/sightings.controller.js';
import { SubmitSightingUseCase } from './sightings/submit-sighting.usecase.js';

@Module({
  imports: [AuthModule, WorksModule, TsaModule, CertificatesModule],
  controllers: [ReportsController, SightingsController, DisputesController, OfficersPageController],
  providers: [ReportsRepository, ReportDetailQuery, ChangeReportStatusUseCase, EvidencePackageService, SubmitSightingUseCase, DisputesService, QueueDashboard],
})
export class InfringementModule {}
