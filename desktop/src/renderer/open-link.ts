// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Links that reach the app from outside it. Headless mode's way to open a `sotto://` link in the
 * app: the page's address carries it as an `open` parameter, in the query or the fragment
 * (`/?open=sotto%3A%2F%2Fs%2F…#token=…`). It is taken once and removed from the address bar; the
 * app then reads it and asks before adding anyone or any relay, as for a link the OS hands to the
 * desktop app.
 */
import { inviteLinkSchema, relayLinkSchema } from '../shared/contract.js'

/** What a link is: an invite (long, QR text or short), a relay link, or neither (undefined). */
export function linkKind (text: string): 'invite' | 'relay' | undefined {
  if (inviteLinkSchema.safeParse(text.trim()).success) return 'invite'
  if (relayLinkSchema.safeParse(text).success) return 'relay'
  return undefined
}

/** Whether a text is an invite link. */
export const isInviteLink = (text: string): boolean => linkKind(text) === 'invite'

/** Whether a text is a relay link. */
export const isRelayLink = (text: string): boolean => linkKind(text) === 'relay'

/** The invite or relay link the address opens, if it carries a valid one; `open` is removed either way. */
export function takeOpenLink (location: Pick<Location, 'pathname' | 'search' | 'hash'>, history: Pick<History, 'replaceState'>): string | undefined {
  const query = new URLSearchParams(location.search)
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''))
  const link = query.get('open') ?? fragment.get('open')
  if (link == null) return undefined
  query.delete('open')
  fragment.delete('open')
  const search = query.size > 0 ? `?${query.toString()}` : ''
  const hash = fragment.size > 0 ? `#${fragment.toString()}` : ''
  history.replaceState(null, '', location.pathname + search + hash)
  return linkKind(link) != null ? link.trim() : undefined
}
