// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The part of Electron the app uses, as interfaces: `electron-main.ts` passes the real module,
 * tests a stand-in. Also the window's fixed settings and the checks on what it may show.
 */
import type { SafeStorageLike } from './key-vault.js'

/** The custom scheme the renderer is served from. */
export const APP_SCHEME = 'sotto-app'

/** The renderer's origin. */
export const APP_ORIGIN = `${APP_SCHEME}://ui`

/** The renderer's entry page. */
export const APP_ENTRY = `${APP_ORIGIN}/index.html`

/** The scheme of invite links, which the app registers itself as the handler of. */
export const LINK_SCHEME = 'sotto'

/** `webPreferences` of every window: isolated, sandboxed, no Node, no webviews. */
export const WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false
})

/** A navigation or window event that can be cancelled. */
export interface Preventable {
  /** Cancels the default action. */
  preventDefault(): void
}

/** The parts of `WebContents` used here. */
export interface WebContentsLike {
  /** Unique id. */
  readonly id: number
  /** The top frame. */
  readonly mainFrame: FrameLike
  /** Pushes an event to the renderer. */
  send(channel: string, payload: unknown): void
  /** Navigation and webview hooks. */
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview' | 'will-frame-navigate', listener: (event: Preventable) => void): unknown
  /** Decides on `window.open` and target=_blank links. */
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

/** The parts of `WebFrameMain` used here. */
export interface FrameLike {
  /** The frame's URL. */
  readonly url: string
  /** Routing id, unique within a process. */
  readonly routingId: number
  /** Renderer process id. */
  readonly processId: number
}

/** The parts of `BrowserWindow` used here. */
export interface WindowLike {
  /** The window's contents. */
  readonly webContents: WebContentsLike
  /** Loads a URL. */
  loadURL(url: string): Promise<void>
  /** Shows the window. */
  show(): void
  /** Focuses the window. */
  focus(): void
  /** Restores a minimised window. */
  restore(): void
  /** Whether it is minimised. */
  isMinimized(): boolean
  /** Whether it has focus. */
  isFocused(): boolean
  /** Whether it was destroyed. */
  isDestroyed(): boolean
  /** Hides the window (it lives on in the tray). */
  hide(): void
  /** Window events. */
  once(event: 'ready-to-show', listener: () => void): unknown
  /** Closing the window; cancelling it keeps the window. */
  on(event: 'close', listener: (event: Preventable) => void): unknown
}

/** An IPC invoke event, as the handlers see it. */
export interface InvokeEventLike {
  /** The contents that sent it. */
  readonly sender: { readonly id: number }
  /** The frame that sent it; null once navigated away or destroyed. */
  readonly senderFrame: FrameLike | null
}

/** The parts of `ipcMain` used here. */
export interface IpcMainLike {
  /** Answers invokes on a channel. */
  handle(channel: string, listener: (event: InvokeEventLike, payload: unknown) => Promise<unknown>): void
  /** Stops answering a channel. */
  removeHandler(channel: string): void
}

/** What a permission request says beyond its name (Electron's `details`). */
export interface PermissionDetails {
  /** The URL of the frame that asks. */
  requestingUrl: string
  /** For `media`: the kinds of device asked for (`video`, `audio`). */
  mediaTypes?: string[]
}

/** The parts of `Session` used here. */
export interface SessionLike {
  /** Asynchronous permission requests (camera, notifications, ...). */
  setPermissionRequestHandler(handler: (webContents: { readonly id: number }, permission: string, callback: (granted: boolean) => void, details: PermissionDetails) => void): void
  /** Synchronous permission checks. */
  setPermissionCheckHandler(handler: () => boolean): void
}

/** The Electron surface this module uses; `W` is the window class (Electron's `BrowserWindow`). */
export interface ElectronSurface<W extends WindowLike = WindowLike> {
  /** `app`. */
  app: {
    requestSingleInstanceLock(): boolean
    whenReady(): Promise<unknown>
    getPath(name: 'userData'): string
    quit(): void
    setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean
    setBadgeCount(count: number): boolean
    setLoginItemSettings(settings: { openAtLogin: boolean }): void
    on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown
    on(event: 'open-url', listener: (event: Preventable, url: string) => void): unknown
    on(event: 'window-all-closed', listener: () => void): unknown
    on(event: 'activate', listener: () => void): unknown
    on(event: 'before-quit', listener: (event: Preventable) => void): unknown
    on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown
  }
  /** `BrowserWindow`. */
  BrowserWindow: new (options: {
    width: number, height: number, minWidth: number, minHeight: number, show: boolean, title: string,
    backgroundColor: string, autoHideMenuBar: boolean, webPreferences: typeof WEB_PREFERENCES & { preload: string }
  }) => W
  /** `ipcMain`. */
  ipcMain: IpcMainLike
  /** `safeStorage`. */
  safeStorage: SafeStorageLike
  /** `shell`. */
  shell: { openExternal(url: string): Promise<void> }
  /** `session`. */
  session: { defaultSession: SessionLike }
  /** `protocol`. */
  protocol: {
    registerSchemesAsPrivileged(schemes: Array<{ scheme: string, privileges: { standard: boolean, secure: boolean } }>): void
    handle(scheme: string, handler: (request: Request) => Promise<Response>): void
  }
  /** `dialog`. */
  dialog: {
    showMessageBox(window: W, options: {
      type: 'question', buttons: string[], defaultId: number, cancelId: number, message: string, detail: string, noLink: boolean
    }): Promise<{ response: number }>
    showSaveDialog(window: W, options: { title?: string, defaultPath: string }): Promise<{ canceled: boolean, filePath?: string }>
  }
  /** `Tray`; absent where the platform has none. */
  Tray?: new (image: string) => TrayLike
  /** `Menu`. */
  Menu: { buildFromTemplate(template: Array<{ label: string, click: () => void }>): unknown }
  /** `Notification`. */
  Notification: {
    isSupported(): boolean
    new (options: { title: string, body: string }): { show(): void, on(event: 'click', listener: () => void): unknown }
  }
}

/** The parts of `Tray` used here. */
export interface TrayLike {
  /** Hover text. */
  setToolTip(text: string): void
  /** Text beside the icon (macOS menu bar). */
  setTitle(title: string): void
  /** The menu. */
  setContextMenu(menu: unknown): void
  /** Click on the icon. */
  on(event: 'click', listener: () => void): unknown
  /** Removes the icon. */
  destroy(): void
}

/** Whether `url` is the app's own page. */
export function isAppUrl (url: string): boolean {
  try {
    const u = new URL(url)
    return u.protocol === `${APP_SCHEME}:` && u.host === 'ui'
  } catch {
    return false
  }
}

/**
 * The first Sotto link in a command line, if any: an invite (`sotto://invite/…`, or a short
 * `sotto://s/…`) or a relay link (`sotto://relay/…`).
 */
export function linkInArgv (argv: readonly string[]): string | undefined {
  return argv.find(arg => arg.toLowerCase().startsWith(`${LINK_SCHEME}://invite/`) || arg.startsWith(`${LINK_SCHEME}://s/`) || arg.startsWith(`${LINK_SCHEME}://relay/`))
}

/** How long after "Scan" the window's camera request is let through, in ms. */
const CAMERA_GRANT_MS = 30_000

/**
 * The camera, for reading a QR code: closed, except for the one request of the app's window that
 * follows the user pressing "Scan" (within {@link CAMERA_GRANT_MS}), and only for video.
 */
export class CameraGate {
  private openUntil = 0

  constructor (private readonly now: () => number = Date.now) {}

  /** The user pressed "Scan": the next camera request may pass. */
  open (): void {
    this.openUntil = this.now() + CAMERA_GRANT_MS
  }

  /** Whether a `media` request for `mediaTypes` passes; a request that passes closes the gate. */
  take (mediaTypes: readonly string[] | undefined): boolean {
    const videoOnly = mediaTypes != null && mediaTypes.length > 0 && mediaTypes.every(t => t === 'video')
    if (!videoOnly || this.now() > this.openUntil) return false
    this.openUntil = 0
    return true
  }
}

/** Cancels every navigation, redirect, webview and new window of a WebContents. */
export function hardenContents (contents: WebContentsLike): void {
  const deny = (event: Preventable): void => { event.preventDefault() }
  contents.on('will-navigate', deny)
  contents.on('will-frame-navigate', deny)
  contents.on('will-redirect', deny)
  contents.on('will-attach-webview', deny)
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}
