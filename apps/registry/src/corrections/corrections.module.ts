import { Module } from '@nestjs/common';
import { WorksModule } from '../works/works.module.js';
import { AmendWorkUseCase } from './amend-work/amend-work.usecase.js';
import { CorrectionsController } from './corrections.controller.js';
import { CorrectionsRepository } from './corrections.repository.js';
import { RegistrationIndex } from './registration-index.js';
import { WithdrawWorkUseCase } from './withdraw-work/withdraw-work.usecase.js';

/** Amendments (supplementary registrations) and withdrawals of registrations. */
@Module({
  imports: [WorksModule],
  controllers: [CorrectionsController],
  providers: [CorrectionsRepository, RegistrationIndex, AmendWorkUseCase, WithdrawWorkUseCase],
})
export class CorrectionsModule {}
