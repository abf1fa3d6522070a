import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The RFC 3161 time-stamp issued over a work's SHA-256 when it was registered. */
@Entity('work_timestamps')
export class WorkTimestampEntity {
  @PrimaryColumn('uuid', { name: 'work_id' })
  workId: string;

  /** DER TimeStampResp (status granted, with the token and the TSA certificate). */
  @Column('bytea')
  response: Buffer;

  @Column('timestamptz', { name: 'gen_time' })
  genTime: Date;

  /** TSTInfo.serialNumber, a positive integer of up to 128 bits, as decimal text. */
  @Column('numeric', { name: 'serial_number', precision: 40, scale: 0 })
  serialNumber: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
