import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A registrant's withdrawal of a registration, recorded as a work.withdrawn entry; the work stays, marked withdrawn. */
@Entity('work_withdrawals')
export class WorkWithdrawalEntity {
  @PrimaryColumn('uuid', { name: 'work_id' })
  workId: string;

  @Column('uuid', { name: 'applicant_id' })
  applicantId: string;

  @Column('text')
  reason: string;

  /** The object whose canonical hash is the entry's metadataHash. */
  @Column('jsonb')
  metadata: Record<string, unknown>;

  @Column('bigint', { name: 'entry_id' })
  entryId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
