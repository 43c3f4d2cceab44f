// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Headless mode's way to open a `sotto://` link in the app: the page's address carries it as an
 * `open` parameter, in the query or the fragment (`/?open=sotto%3A%2F%2Fs%2F…#token=…`). It is
 * taken once and removed from the address bar; the app then reads the invite and asks before
 * adding anyone, as for a link the OS hands to the desktop app.
 */
import { inviteLinkSchema } from '../shared/contract.js'

/** The invite link the address opens, if it carries a valid one; `open` is removed either way. */
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
  const parsed = inviteLinkSchema.safeParse(link.trim())
  return parsed.success ? parsed.data : undefined
}
