// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Calls about links: opening an https link outside the app, and taking the invite or relay link
 * that was opened from outside it.
 */
import { UnsupportedError } from '../errors.js'
import type { HandlerGroup } from './handlers.js'

/** What the link handlers use. */
export interface LinkHandlersComponents {
  /** Opens an https link after the user confirmed; absent where the renderer does it. */
  openLink?: (url: string) => Promise<boolean>
  /** The invite link waiting for the renderer, taken once. */
  takePendingInvite: () => string | undefined
  /** The relay link waiting for the renderer, taken once. */
  takePendingRelayLink: () => string | undefined
}

/** The handlers of the link calls. */
export function linkHandlers ({ openLink, takePendingInvite, takePendingRelayLink }: LinkHandlersComponents): HandlerGroup<'openLink' | 'pendingInvite' | 'pendingRelayLink'> {
  return {
    openLink: async ({ url }) => {
      if (openLink == null) throw new UnsupportedError('Links are opened by the browser in this mode')
      return { opened: await openLink(url) }
    },
    pendingInvite: async () => ({ invite: takePendingInvite() ?? null }),
    pendingRelayLink: async () => ({ link: takePendingRelayLink() ?? null })
  }
}
