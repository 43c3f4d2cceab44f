// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Signals: the first SIGTERM or SIGINT drains and stops cleanly (exit 0), a second one exits at
 * once (exit 1), and so does a drain that outlasts its timeout.
 */

import type { Logger } from 'pino'

/** Options of {@link installShutdown}. */
export interface ShutdownInit {
  /** Stops everything; the process exits 0 when it resolves. */
  stop(): Promise<void>
  log: Logger
  /** Longest wait for `stop`, in milliseconds. */
  drainTimeoutMs: number
  /** How to exit; `process.exit` by default. */
  exit?(code: number): void
}

/** Installs the SIGTERM and SIGINT handlers. */
export function installShutdown (init: ShutdownInit): void {
  const exit = init.exit ?? ((code: number) => process.exit(code))
  let signalled = false
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      init.log.warn({ signal }, 'second signal: exiting now')
      exit(1)
      return
    }
    signalled = true
    init.log.info({ signal }, 'shutting down: draining requests in flight')
    const timer = setTimeout(() => {
      init.log.error({ timeoutMs: init.drainTimeoutMs }, 'shutdown took too long: exiting now')
      exit(1)
    }, init.drainTimeoutMs)
    timer.unref()
    init.stop().then(
      () => {
        clearTimeout(timer)
        init.log.info('stopped')
        exit(0)
      },
      (err: Error) => {
        clearTimeout(timer)
        init.log.error({ err: err.message }, 'shutdown failed')
        exit(1)
      }
    )
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
}
