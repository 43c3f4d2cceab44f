// SPDX-License-Identifier: AGPL-3.0-only
/**
 * One more dial to a relay after a failed one. A relay resets new connections past its rate per IP
 * address (10 a second by default), which several apps behind one address, or one app's several
 * clients, can reach; a dial that failed sent nothing, so any request can go on the second. No
 * Node import: the guest page uses it too.
 */

/** How long a failed dial waits before it is made once more: a relay counts new connections per second. */
const REDIAL_PAUSE_MS = 1000

/**
 * Runs `dial`; when it fails (and `signal` has not aborted), runs it once more
 * {@link REDIAL_PAUSE_MS} later, calling `onRetry` with the first failure.
 */
export async function dialTwice<T> (dial: () => Promise<T>, signal: AbortSignal, onRetry?: (err: Error) => void): Promise<T> {
  try {
    return await dial()
  } catch (err) {
    if (signal.aborted) throw err
    onRetry?.(err as Error)
    await pause(REDIAL_PAUSE_MS, signal)
    return await dial()
  }
}

/** Waits `ms`, or rejects once `signal` aborts. */
async function pause (ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted()
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => { clearTimeout(timer); reject(signal.reason) }
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve() }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
