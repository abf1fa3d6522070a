// Every background job the system runs: its queue and its payload type,
// declared once. APIs only produce (through the outbox); only apps/worker
// registers processors, and it refuses to start if a job has no handler.
//
// WARNING: queue and job names are stored in Redis and in the outbox table.
// Renaming one strands the jobs already queued under the old name: add a new
// name and retire the old one only once its queue is empty.
export enum QueueName {
  Fingerprint = 'fingerprint',
  Match = 'match',
}

export enum JobName {
  FingerprintWork = 'fingerprint-work',
  FingerprintSighting = 'fingerprint-sighting',
  MatchWork = 'match-work',
  MatchSighting = 'match-sighting',
}

export interface JobPayloads {
  [JobName.FingerprintWork]: { workId: string };
  [JobName.FingerprintSighting]: { sightingId: string };
  [JobName.MatchWork]: { workId: string };
  [JobName.MatchSighting]: { sightingId: string };
}

export type JobOf<N extends JobName> = { name: N; data: JobPayloads[N] };
export type AnyJob = { [N in JobName]: JobOf<N> }[JobName];

/** Which queue carries each job. */
export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.FingerprintWork]: QueueName.Fingerprint,
  [JobName.FingerprintSighting]: QueueName.Fingerprint,
  [JobName.MatchWork]: QueueName.Match,
  [JobName.MatchSighting]: QueueName.Match,
};

/**
 * Key prefix for every queue. The braces are a Redis Cluster hash tag: all of
 * a queue's keys land in one slot, which BullMQ's multi-key scripts need.
 */
export const QUEUE_PREFIX = '{copyright}';

/** Retries with exponential backoff; a job that fails them all stays in the failed (dead-letter) set. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { count: 10_000, age: 7 * 24 * 3600 },
  removeOnFail: false,
} as const;
