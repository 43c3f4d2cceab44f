// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Notifications in headless mode, through the browser's Notification API. What they say was
 * decided on the main side by the same policy as the desktop's native ones (by default only
 * "New message": neither the sender's name nor the text); the page only shows them, and only
 * while it is hidden or without focus. In Electron the main process shows them instead.
 */
import type { SottoBridge } from '../shared/api.js'

/** The parts of the browser this uses (injected in tests). */
export interface BrowserNotificationEnv {
  /** The Notification API; absent in browsers without it. */
  Notification?: {
    readonly permission: NotificationPermission
    requestPermission(): Promise<NotificationPermission>
    new (title: string, options: { body: string, tag: string }): { onclick: ((ev: Event) => unknown) | null }
  }
  /** Whether the page is seen now. */
  isSeen: () => boolean
  /** Brings the page forward (after a click on a notification). */
  focus: () => void
}

let active: BrowserNotificationEnv | undefined

/** The real browser's parts. */
export function browserEnv (): BrowserNotificationEnv {
  return {
    ...(typeof Notification !== 'undefined' ? { Notification } : {}),
    isSeen: () => document.visibilityState === 'visible' && document.hasFocus(),
    focus: () => { window.focus() }
  }
}

/** Shows the pushed notifications in the browser; returns the function that stops. */
export function showBrowserNotifications (bridge: SottoBridge, env: BrowserNotificationEnv = browserEnv()): () => void {
  active = env
  const off = bridge.onNotification(({ title, body, contactId }) => {
    const Api = env.Notification
    if (Api == null || Api.permission !== 'granted' || env.isSeen()) return
    // One notification per conversation: a newer one replaces the older.
    const shown = new Api(title, { body, tag: contactId })
    shown.onclick = env.focus
  })
  return () => {
    off()
    active = undefined
  }
}

/**
 * Whether this page shows notifications through the browser and may still ask for permission:
 * `ask` until the user decided, `blocked` once they refused, undefined where not in use.
 */
export function browserNotificationState (): 'ask' | 'granted' | 'blocked' | undefined {
  const permission = active?.Notification?.permission
  if (permission == null) return undefined
  return permission === 'default' ? 'ask' : permission === 'granted' ? 'granted' : 'blocked'
}

/** Asks the browser for permission to notify (from a click: browsers require a user gesture). */
export async function askBrowserPermission (): Promise<void> {
  await active?.Notification?.requestPermission()
}
