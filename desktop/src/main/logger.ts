// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The desktop app's loggers: pino, one JSON line per entry, behind `@sotto/core`'s logger interface.
 * Nothing logged here may contain message text, keys or tokens.
 */
import { pino } from 'pino'
import type { LoggerFactory } from '@sotto/core'

/** Options for {@link pinoLoggers}. */
export interface PinoLoggersInit {
  /** Minimum level; `SOTTO_LOG_LEVEL` or `info`. */
  level?: string
  /** File descriptor to write to; 2 (stderr) by default, so stdout stays free for the ready line. */
  fd?: number
}

/** A logger factory writing pino JSON lines. */
export function pinoLoggers (init: PinoLoggersInit = {}): LoggerFactory {
  const root = pino({
    level: init.level ?? process.env.SOTTO_LOG_LEVEL ?? 'info',
    base: { pid: process.pid },
    redact: { paths: ['token', 'passphrase', 'key', 'text', '*.token', '*.passphrase', '*.key', '*.text'], censor: '[hidden]' }
  }, pino.destination({ fd: init.fd ?? 2, sync: false }))
  return {
    forComponent (component) {
      const child = root.child({ component })
      return {
        debug: (msg, fields) => { child.debug(fields ?? {}, msg) },
        info: (msg, fields) => { child.info(fields ?? {}, msg) },
        warn: (msg, fields) => { child.warn(fields ?? {}, msg) },
        error: (msg, fields) => { child.error(fields ?? {}, msg) }
      }
    }
  }
}
