// Bounds a wait on Redis: a command or a close that Redis never answers
// (down, or unreachable) must not hold up the caller, least of all a shutdown.
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Closes a BullMQ queue or worker, waiting at most `closeMs`; past that
 * (Redis down: the close never completes) disconnects it, waiting at most
 * `disconnectMs`, since a disconnect too can wait for a connection that
 * never comes.
 */
export async function closeWithin(target: { close(): Promise<void>; disconnect(): Promise<void> }, closeMs: number, disconnectMs = 1000): Promise<void> {
  try {
    await withTimeout(target.close(), closeMs);
  } catch {
    await withTimeout(target.disconnect(), disconnectMs).catch(() => undefined);
  }
}
