// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Loads `createMessenger` from `@sotto/core`.
 */
import type { MessengerFactory } from './desktop-service.js'

/** `createMessenger` from `@sotto/core`. */
export async function loadMessengerFactory (): Promise<MessengerFactory> {
  const core = await import('@sotto/core') as unknown as { createMessenger?: MessengerFactory }
  if (typeof core.createMessenger !== 'function') throw new Error('@sotto/core does not export createMessenger')
  return core.createMessenger
}
