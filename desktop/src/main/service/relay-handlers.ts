// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Calls about the messenger's home relays: listing, adding and removing them.
 */
import type { HandlerGroup, MessengerComponents } from './handlers.js'
import type { RelayView } from '../../shared/contract.js'
import type { RelayView as HomeRelay } from '@sotto/core'

/** What the relay handlers use. */
export interface RelayHandlersComponents extends MessengerComponents {
  /** A home relay's view. */
  homeRelayView: (relay: HomeRelay) => RelayView
}

/** The handlers of the relay calls. */
export function relayHandlers ({ messenger, homeRelayView }: RelayHandlersComponents): HandlerGroup<'relays' | 'addRelay' | 'removeRelay'> {
  const list = async (): Promise<RelayView[]> => (await messenger().relays()).map(r => homeRelayView(r))
  return {
    relays: list,
    addRelay: async ({ address, joinCode }) => {
      await messenger().addRelay(address, joinCode != null ? { joinCode } : {})
      return list()
    },
    removeRelay: async ({ address }) => {
      await messenger().removeRelay(address)
      return list()
    }
  }
}
