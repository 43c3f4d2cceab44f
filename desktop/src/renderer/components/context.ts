// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The client, available to every component.
 */
import { createContext, useContext } from 'react'
import type { SottoClient } from '../client.js'

/** Holds the client. */
export const ClientContext = createContext<SottoClient | undefined>(undefined)

/** The client; throws outside a provider (a bug). */
export function useClient (): SottoClient {
  const client = useContext(ClientContext)
  if (client == null) throw new Error('useClient outside ClientContext')
  return client
}
