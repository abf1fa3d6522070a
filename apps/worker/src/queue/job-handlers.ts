// One handler per job name. The map is typed so a new JobName without a
// handler does not compile, and checked again at start-up (a handler map
// built at run time, or a stale build, must not start a worker that silently
// leaves a queue's jobs waiting forever).
import { JobName, type JobPayloads } from '#queue';

export type JobHandler<N extends JobName> = (data: JobPayloads[N], context: { jobId: string | undefined; attempt: number }) => Promise<unknown>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

export class MissingJobHandlerError extends Error {
  override readonly name = 'MissingJobHandlerError';
}

/** Throws when any job name has no handler. */
export function assertEveryJobHandled(handlers: Partial<Record<string, unknown>>): void {
  const missing = Object.values(JobName).filter((name) => typeof handlers[name] !== 'function');
  if (missing.length) throw new MissingJobHandlerError(`no handler for job(s) ${missing.join(', ')}: refusing to start (their jobs would wait forever)`);
}
