import { Module } from '@nestjs/common';
import { HoldsRepository } from './holds.repository.js';
import { TransfersRepository } from './transfers.repository.js';

/** The money primitives use cases write through: holds and transfers. */
@Module({
  providers: [HoldsRepository, TransfersRepository],
  exports: [HoldsRepository, TransfersRepository],
})
export class MoneyModule {}
