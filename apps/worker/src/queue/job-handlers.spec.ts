import { JobName } from '#queue';
import { assertEveryJobHandled, MissingJobHandlerError } from './job-handlers.js';

describe('assertEveryJobHandled', () => {
  const all = Object.fromEntries(Object.values(JobName).map((name) => [name, async () => undefined]));

  it('accepts a handler for every job name', () => {
    expect(() => assertEveryJobHandled(all)).not.toThrow();
  });

  it('refuses to start when a job name has no handler, naming it', () => {
    const { [JobName.MatchSighting]: _missing, ...rest } = all;
    void _missing;
    expect(() => assertEveryJobHandled(rest)).toThrow(MissingJobHandlerError);
    expect(() => assertEveryJobHandled(rest)).toThrow(/match-sighting/);
  });
});
