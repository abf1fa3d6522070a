import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const WORK_TYPES = ['text', 'image', 'audio', 'video', 'software', 'design', 'other'] as const;
export type WorkType = (typeof WORK_TYPES)[number];
export type WorkStatus = 'registered' | 'withdrawn';

export interface WorkAuthor {
  name: string;
  role?: string;
}

export interface WorkPublication {
  date: string;
  place: string;
}

/** A registered work. Rows are the queryable view; the ledger is the record. */
@Entity('works')
export class WorkEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'registration_number' })
  registrationNumber: string;

  @Column('uuid', { name: 'registrant_id' })
  registrantId: string;

  @Column('bytea')
  sha256: Buffer;

  @Column('text')
  title: string;

  @Column('text')
  type: WorkType;

  @Column('jsonb')
  authors: WorkAuthor[];

  @Column('date', { name: 'completed_on', nullable: true })
  completedOn: string | null;

  @Column('jsonb', { nullable: true })
  publication: WorkPublication | null;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('uuid', { name: 'derived_from_id', nullable: true })
  derivedFromId: string | null;

  @Column('boolean', { name: 'content_stored' })
  contentStored: boolean;

  @Column('bigint', { name: 'size_bytes', nullable: true })
  sizeBytes: string | null;

  @Column('text', { name: 'media_type', nullable: true })
  mediaType: string | null;

  @Column('uuid', { name: 'priority_work_id', nullable: true })
  priorityWorkId: string | null;

  @Column('text')
  status: WorkStatus;

  @Column('bigint', { name: 'entry_id' })
  entryId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
