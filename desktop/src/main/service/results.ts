// SPDX-License-Identifier: AGPL-3.0-only
/**
 * How a call's outcome crosses the boundary: its payload checked against the contract's schema,
 * and errors reduced to `{ name, message }`, keeping only the messages of expected errors.
 */
import { requestSchemas } from '../../shared/contract.js'
import { BugError, EXPOSED_ERROR_NAMES, InvalidPayloadError } from '../errors.js'
import type { Method } from '../../shared/channels.js'
import type { ErrorView, Requests, Result } from '../../shared/contract.js'
import type { Logger } from '@sotto/core'

/** An error as it may cross the boundary: known names keep their message, others become generic. */
export function errorView (err: unknown, log?: Logger): ErrorView {
  if (err instanceof Error && EXPOSED_ERROR_NAMES.has(err.name)) {
    return { name: err.name, message: err.message }
  }
  if (err instanceof BugError) log?.error('bug', { error: err.name, message: err.message })
  else log?.error('unexpected error', { error: err instanceof Error ? err.name : typeof err })
  return { name: 'InternalError', message: 'Something went wrong inside Sotto; see the log for details' }
}

/** A failed call's reply. */
export function failure (err: unknown, log?: Logger): Result<never> {
  return { ok: false, error: errorView(err, log) }
}

/** The payload of a `method` call, checked against its strict schema; throws `InvalidPayloadError`. */
export function parseRequest<M extends Method> (method: M, payload: unknown): Requests[M] {
  const parsed = requestSchemas[method].safeParse(payload)
  if (parsed.success) return parsed.data as Requests[M]
  const detail = parsed.error.issues
    .map(i => `${i.path.length > 0 ? i.path.join('.') : 'payload'}: ${i.message}`)
    .join('; ')
  throw new InvalidPayloadError(`Invalid ${method} request (${detail})`)
}
