// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The shape of the contract's handlers: one function per call, taking the validated payload. Each
 * area (onboarding, contacts, messages, relays, settings, links) supplies its own group.
 */
import { NotReadyError } from '../errors.js'
import type { Method } from '../../shared/channels.js'
import type { Replies, Requests } from '../../shared/contract.js'
import type { Messenger } from '@sotto/core'

/** Every call's handler. */
export type Handlers = { [M in Method]: (request: Requests[M]) => Promise<Replies[M]> }

/** The handlers of some calls. */
export type HandlerGroup<K extends Method> = Pick<Handlers, K>

/** What most areas need: the running messenger. */
export interface MessengerComponents {
  /** The running messenger; throws `NotReadyError` while there is none. */
  messenger: () => Messenger
}

/** Throws `NotReadyError` unless `messenger` runs. */
export function running (messenger: Messenger | undefined, ready: boolean): Messenger {
  if (messenger == null || !ready) throw new NotReadyError('Sotto is not running yet')
  return messenger
}
