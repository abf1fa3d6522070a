import { Module } from '@nestjs/common';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationQuery } from './reconciliation.query.js';

@Module({ controllers: [ReconciliationController], providers: [ReconciliationQuery], exports: [ReconciliationQuery] })
export class ReconciliationModule {}
