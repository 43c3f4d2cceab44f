// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Loads `@sotto/core` on first use, so commands that do not run a messenger (help, starting
 * Electron) do not pay for importing the network stack.
 */
import type { MessengerFactory } from './desktop-service.js'
import type { RelayInfo } from '@sotto/core'

/** `createMessenger` from `@sotto/core`. */
export async function loadMessengerFactory (): Promise<MessengerFactory> {
  const { createMessenger } = await import('@sotto/core')
  return createMessenger
}

/** `fetchRelayInfo` from `@sotto/core`. */
export async function fetchRelayInfo (address: string): Promise<RelayInfo> {
  const core = await import('@sotto/core')
  return core.fetchRelayInfo(address)
}
