// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What keeps Sotto online once its window is closed: the tray icon (with Show and Quit), closing
 * the window into it, the unread count on the tray and the dock or taskbar badge, and starting
 * at login. A person who closes the window stays reachable directly, not only through relays.
 */
import { DEFAULT_PREFS } from './desktop-config.js'
import type { DesktopConfig, HostFeatures } from './desktop-config.js'
import type { ElectronSurface, TrayLike, WindowLike } from './electron-surface.js'

/** The tray's hover text for `unread` messages. */
export function trayText (unread: number): string {
  return unread === 0 ? 'Sotto' : `Sotto — ${unread} unread`
}

/** What the host offers on `platform`: a tray where Electron has one; login items on macOS and Windows. */
export function hostFeatures (electron: ElectronSurface<WindowLike>, platform: string): HostFeatures {
  return { tray: electron.Tray != null, loginItem: platform === 'darwin' || platform === 'win32' }
}

/** The tray and the behaviours around it. */
export class TrayPresence {
  private tray: TrayLike | undefined
  private prefs: DesktopConfig['prefs'] = DEFAULT_PREFS
  private loginApplied: boolean | undefined
  private quitting = false

  constructor (private readonly electron: ElectronSurface<WindowLike>, private readonly features: HostFeatures) {}

  /** Creates the tray icon with its menu, where the platform has a tray. */
  create (icon: string, showWindow: () => void): void {
    if (this.electron.Tray == null) return
    const tray = new this.electron.Tray(icon)
    tray.setToolTip(trayText(0))
    tray.setContextMenu(this.electron.Menu.buildFromTemplate([
      { label: 'Show Sotto', click: showWindow },
      { label: 'Quit Sotto', click: () => { this.electron.app.quit() } }
    ]))
    tray.on('click', showWindow)
    this.tray = tray
  }

  /** Closing `window` hides it into the tray, while the preference says so and until quitting. */
  keepOnClose (window: WindowLike): void {
    window.on('close', event => {
      if (this.quitting || !this.prefs.closeToTray || this.tray == null) return
      event.preventDefault()
      window.hide()
    })
  }

  /** Applies the preferences: closing into the tray, and the login item when it changed. */
  apply (prefs: DesktopConfig['prefs']): void {
    this.prefs = prefs
    if (this.features.loginItem && prefs.startAtLogin !== this.loginApplied) {
      this.electron.app.setLoginItemSettings({ openAtLogin: prefs.startAtLogin })
      this.loginApplied = prefs.startAtLogin
    }
  }

  /** Shows the unread count on the tray and the dock or taskbar badge. */
  showUnread (total: number): void {
    this.tray?.setToolTip(trayText(total))
    this.tray?.setTitle(total > 0 ? String(total) : '')
    this.electron.app.setBadgeCount(total)
  }

  /** From now on closing the window closes it: the app is quitting. */
  quit (): void {
    this.quitting = true
  }

  /** Removes the tray icon. */
  destroy (): void {
    this.tray?.destroy()
    this.tray = undefined
  }
}
