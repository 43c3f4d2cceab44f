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

/** What a relay link says: its relay's address, the operator's claims, and maybe a join code. */
export interface RelayLinkData {
  /** Multiaddr ending in /p2p/<peerId>. */
  addr: string
  /** Operator's name as the link says it. */
  operator?: string
  /** Operator's contact as the link says it. */
  contact?: string
  /** Jurisdiction as the link says it. */
  jurisdiction?: string
  /** A join code for an invite-only relay. */
  code?: string
}

/** Reads and writes the links a person passes on: relay links and invites. */
export interface LinkReader {
  /** Decodes a relay link; throws `InvalidInputError` or `TooLargeError` when malformed. */
  decodeRelayLink(text: string): Promise<RelayLinkData>
  /** Writes a relay link (used to hand a join code to the messenger with its relay). */
  encodeRelayLink(link: RelayLinkData): Promise<string>
  /** Reads an invite (resolving a short link at its relay) without adding its owner. */
  previewInvite(text: string): Promise<{ name: string, relays: string[] }>
}

/** The link reader of `@sotto/core`, loaded on first use. */
export function coreLinkReader (): LinkReader {
  return {
    decodeRelayLink: async text => (await import('@sotto/core/links')).decodeRelayLink(text),
    encodeRelayLink: async link => (await import('@sotto/core/links')).encodeRelayLink(link),
    previewInvite: async text => (await import('@sotto/core')).previewInvite(text)
  }
}
