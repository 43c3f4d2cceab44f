// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Calls of first contact: the own invite (short link first, "New link" revoking the old one),
 * reading a relay link (what the relay itself publishes: operator, jurisdiction, open or
 * invite-only), reading an invite before adding its owner ("Add Alice?", and which of the
 * owner's relays accept newcomers), and the camera for reading a QR code, asked for only when
 * the user presses "Scan". None of them sends anything to the invite's owner.
 */
import type { HandlerGroup, MessengerComponents } from './handlers.js'
import type { Published, RelayViews } from './relay-views.js'
import type { LinkReader } from '../core-loader.js'
import type { InviteView, RelayView } from '../../shared/contract.js'
import type { Logger, Messenger } from '@sotto/core'

/** What the first-contact handlers use. */
export interface FirstContactComponents extends MessengerComponents {
  /** Link decoding and invite reading (`@sotto/core`'s). */
  links: LinkReader
  /** Maps relays to their views. */
  relays: Pick<RelayViews, 'linkView'>
  /** Reads what a relay publishes; absent: relays are shown as their links describe them. */
  fetchRelayInfo?: (address: string) => Promise<Published>
  /**
   * Lets the next camera request of the app's window through (Electron); absent where the browser
   * asks the user itself (headless).
   */
  allowCamera?: () => void
  /** Logger. */
  log?: Logger
}

/** The own invite, the short link first; a relay that cannot be reached now leaves it out. */
async function inviteView (m: Messenger, short: string | undefined): Promise<InviteView> {
  const link = await m.invite()
  return short != null ? { short, link, qr: short } : { link, qr: await m.inviteQr() }
}

/** The handlers of the first-contact calls. */
export function firstContactHandlers (components: FirstContactComponents): HandlerGroup<'createInvite' | 'renewInvite' | 'readRelayLink' | 'previewInvite' | 'requestCamera'> {
  const { messenger, links, relays, fetchRelayInfo, log } = components
  /** What a relay publishes, or undefined when it cannot be asked or does not answer. */
  const published = async (address: string): Promise<Published | undefined> => {
    if (fetchRelayInfo == null) return undefined
    try {
      return await fetchRelayInfo(address)
    } catch (err) {
      log?.info('a relay did not answer relay-info', { relay: address, error: (err as Error).name })
      return undefined
    }
  }
  return {
    createInvite: async () => {
      const m = messenger()
      const short = await m.shortInvite().catch((err: Error) => {
        log?.info('no short link now', { error: err.name })
        return undefined
      })
      return inviteView(m, short)
    },
    renewInvite: async () => {
      const m = messenger()
      return inviteView(m, await m.newShortInvite())
    },
    readRelayLink: async ({ link }) => {
      const data = await links.decodeRelayLink(link)
      return relays.linkView(data, await published(data.addr))
    },
    previewInvite: async ({ invite }) => {
      const preview = await links.previewInvite(invite)
      const answers = await Promise.all(preview.relays.map(async addr => ({ addr, info: await published(addr) })))
      const openRelays: RelayView[] = answers
        .filter(a => a.info != null && a.info.inviteOnly !== true)
        .map(a => relays.linkView({ addr: a.addr }, a.info))
      return { name: preview.name, openRelays }
    },
    requestCamera: async () => {
      components.allowCamera?.()
      return null
    }
  }
}
