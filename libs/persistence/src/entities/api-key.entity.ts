import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ROLES = ['admin', 'creator', 'exchange', 'officer'] as const;
export type Role = (typeof ROLES)[number];

/** An API key; only the SHA-256 of the secret is kept, never the key itself. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('bytea', { name: 'key_hash' })
  keyHash: Buffer;

  /** First characters of the key, so an admin can tell keys apart. */
  @Column('text', { name: 'key_prefix' })
  keyPrefix: string;

  @Column('text')
  role: Role;

  @Column('uuid', { name: 'party_id' })
  partyId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
