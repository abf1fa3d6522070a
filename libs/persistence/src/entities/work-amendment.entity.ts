import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A supplementary registration: corrected or added metadata with a reason, recorded as a work.amended entry. */
@Entity('work_amendments')
export class WorkAmendmentEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'work_id' })
  workId: string;

  /** 1 for the first amendment of the work, then 2, 3, ... */
  @Column('integer')
  seq: number;

  @Column('uuid', { name: 'applicant_id' })
  applicantId: string;

  @Column('text')
  reason: string;

  /** The corrected or added fields, with their new values. */
  @Column('jsonb')
  changes: Record<string, unknown>;

  /** The object whose canonical hash is the entry's metadataHash. */
  @Column('jsonb')
  metadata: Record<string, unknown>;

  /** Registration metadata of the work just before this amendment. */
  @Column('jsonb', { name: 'previous_metadata' })
  previousMetadata: Record<string, unknown>;

  @Column('bigint', { name: 'entry_id' })
  entryId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
