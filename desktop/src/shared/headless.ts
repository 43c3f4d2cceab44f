// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The IPC contract carried over a WebSocket in headless mode. The browser connects to
 * {@link HEADLESS_IPC_PATH} offering two subprotocols: {@link HEADLESS_SUBPROTOCOL} and
 * `token.<token>`, the per-start token from the URL the server printed.
 */
import { z } from 'zod'
import type { EventName } from './channels.js'
import type { Events, Result } from './contract.js'

/** Path of the IPC WebSocket. */
export const HEADLESS_IPC_PATH = '/ipc'

/** The subprotocol the server selects. */
export const HEADLESS_SUBPROTOCOL = 'sotto-ipc'

/** Prefix of the subprotocol that carries the token. */
export const TOKEN_PROTOCOL_PREFIX = 'token.'

/** A per-start token: 32 random bytes, base64url. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

/** Largest frame either side accepts, in bytes. */
export const MAX_FRAME_BYTES = 256 * 1024

/** A call from the browser. */
export const clientFrameSchema = z.strictObject({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  method: z.string().min(1).max(64),
  payload: z.unknown().optional()
})

/** A call from the browser. */
export type ClientFrame = z.infer<typeof clientFrameSchema>

/** A reply to a call, or a pushed event. */
export type ServerFrame =
  | { id: number, result: Result<unknown> }
  | { [E in EventName]: { event: E, payload: Events[E] } }[EventName]
