// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Small helpers shared across core, each written once: bytes and hex, backoff with jitter,
 * "run again if called while running", an injectable clock and a task run on it, and one more
 * dial after a failed one.
 */
export { equalBytes, fromHex, toHex } from './bytes.js'
export { Backoff } from './backoff.js'
export type { BackoffOptions } from './backoff.js'
export { RunAgain, RunAgainByKey } from './run-again.js'
export type { RunAgainOptions } from './run-again.js'
export { every, sleep, systemClock } from './clock.js'
export { Recurring } from './recurring.js'
export type { Clock, TimerHandle } from './clock.js'
export { dialTwice } from './redial.js'
