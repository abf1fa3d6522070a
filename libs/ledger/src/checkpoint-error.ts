// The one error type for rejected signed notes and checkpoints, with a machine-readable reason.

export type CheckpointErrorReason =
  /** Not a well-formed signed note / checkpoint body. */
  | 'MALFORMED'
  /** Well-formed, but carries no signature from the pinned key. */
  | 'UNKNOWN_KEY'
  /** A signature from the pinned key does not verify. */
  | 'BAD_SIGNATURE';

export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';

  constructor(
    readonly reason: CheckpointErrorReason,
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}
