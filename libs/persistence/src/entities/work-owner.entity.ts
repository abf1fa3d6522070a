import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A co-owner's share of a work, in basis points (all shares sum to 10,000). */
@Entity('work_owners')
export class WorkOwnerEntity {
  @PrimaryColumn('uuid', { name: 'work_id' })
  workId: string;

  @PrimaryColumn('uuid', { name: 'party_id' })
  partyId: string;

  @Column('integer', { name: 'share_bp' })
  shareBp: number;
}
