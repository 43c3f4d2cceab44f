// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The small logging interface `core` depends on. Programs (the CLI, the desktop app, the relay)
 * supply an implementation; `core` never imports a logging library.
 *
 * Never pass message text, keys or tokens to a logger.
 */

/** Structured fields attached to a log line. Values must not contain secrets or message text. */
export type LogFields = Record<string, unknown>

/** One component's logger. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

/** Hands out a logger per component, e.g. `forComponent('core:outbox')`. */
export interface LoggerFactory {
  forComponent(component: string): Logger
}

const silent: Logger = {
  debug () {},
  info () {},
  warn () {},
  error () {}
}

/** A factory whose loggers discard everything. */
export const silentLoggers: LoggerFactory = {
  forComponent: () => silent
}

/** Log levels in order of severity. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const

/** A log level name. */
export type LogLevel = typeof LOG_LEVELS[number]

/**
 * A factory that writes one JSON object per line to `write` (stderr in the CLI), at `level` and above.
 */
export function jsonLoggers (write: (line: string) => void, level: LogLevel = 'info'): LoggerFactory {
  const min = LOG_LEVELS.indexOf(level)
  return {
    forComponent (component) {
      const at = (lvl: LogLevel) => (msg: string, fields?: LogFields): void => {
        if (LOG_LEVELS.indexOf(lvl) < min) return
        write(JSON.stringify({ time: new Date().toISOString(), level: lvl, component, msg, ...fields }) + '\n')
      }
      return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
    }
  }
}
