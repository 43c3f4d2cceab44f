// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The Electron glue: one hardened window, validated IPC, single instance, tray, notifications and a
 * clean shutdown. Electron arrives as an injected surface (`electron-main.ts` passes the real one),
 * so all of this runs under Node in tests with a stand-in.
 */
import { join } from 'node:path'
import { EVENT_CHANNELS, METHOD_CHANNELS, METHODS } from '../shared/channels.js'
import { createDesktopService } from './desktop-service.js'
import { safeStorageKeyVault } from './key-vault.js'
import { readRendererFile, securityHeaders } from './renderer-files.js'
import type { DesktopService, DesktopServiceInit, MessengerFactory } from './desktop-service.js'
import type { RelayInfo } from './desktop-config.js'
import type { SafeStorageLike } from './key-vault.js'
import type { LoggerFactory } from '@sotto/core'
import type { Result } from '../shared/contract.js'

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
  /** Window events. */
  once(event: 'ready-to-show', listener: () => void): unknown
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

/** The parts of `Session` used here. */
export interface SessionLike {
  /** Asynchronous permission requests (camera, notifications, ...). */
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void
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
    on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown
    on(event: 'open-url', listener: (event: Preventable, url: string) => void): unknown
    on(event: 'window-all-closed', listener: () => void): unknown
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
  /** The menu. */
  setContextMenu(menu: unknown): void
  /** Click on the icon. */
  on(event: 'click', listener: () => void): unknown
  /** Removes the icon. */
  destroy(): void
}

/** Options for {@link startElectronApp}. */
export interface ElectronAppInit {
  /** `createMessenger` from `@sotto/core`. */
  createMessenger: MessengerFactory
  /** `fetchRelayInfo` from `@sotto/core`: what the offered relays publish, shown in onboarding. */
  fetchRelayInfo?: DesktopServiceInit['fetchRelayInfo']
  /** The preload bundle. */
  preloadFile: string
  /** The built renderer. */
  rendererDir: string
  /** The tray icon (a PNG path). */
  trayIcon: string
  /** Relays offered in onboarding. */
  defaultRelays?: RelayInfo[]
  /** Overrides the data directory (default `<userData>/sotto`). */
  dataDir?: string
  /** Loggers. */
  logger?: LoggerFactory
  /** The command line the app started with, which may carry an invite link (Windows, Linux). */
  argv?: string[]
  /**
   * How the OS should start the app for a `sotto://` link, when not simply the executable: an
   * unpackaged app (`process.defaultApp`) is Electron's binary plus the app's path.
   */
  linkHandler?: { path: string, args: string[] }
}

/** What {@link startElectronApp} returns. */
export type ElectronApp =
  | { role: 'secondary' }
  | {
    role: 'primary'
    /** Resolves once the window is created and the service started. */
    ready: Promise<void>
    /** The service. */
    service: DesktopService
    /** The window, once created. */
    window(): WindowLike | undefined
    /** Resolves once shutdown finished. */
    stopped: Promise<void>
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

/** The first `sotto://invite/` link in a command line, if any. */
export function inviteInArgv (argv: readonly string[]): string | undefined {
  return argv.find(arg => arg.toLowerCase().startsWith(`${LINK_SCHEME}://invite/`))
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

/**
 * Starts the app. Must be called before Electron is ready (it registers the app scheme).
 * A second instance returns `{ role: 'secondary' }` after asking the first to show itself.
 */
export function startElectronApp<W extends WindowLike> (electron: ElectronSurface<W>, init: ElectronAppInit): ElectronApp {
  const { app } = electron
  const log = init.logger?.forComponent('desktop:electron')
  electron.protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }])

  if (!app.requestSingleInstanceLock()) {
    log?.info('another instance is running; handing over')
    app.quit()
    return { role: 'secondary' }
  }

  const dataDir = init.dataDir ?? join(app.getPath('userData'), 'sotto')
  let window: W | undefined
  let tray: TrayLike | undefined
  let finished = false
  let resolveStopped!: () => void
  const stopped = new Promise<void>(resolve => { resolveStopped = resolve })

  const showWindow = (): void => {
    if (window == null || window.isDestroyed()) return
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
  }

  const openLink = async (url: string): Promise<boolean> => {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      return false
    }
    if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || window == null) return false
    const { response } = await electron.dialog.showMessageBox(window, {
      type: 'question',
      buttons: ['Cancel', 'Open in browser'],
      defaultId: 0,
      cancelId: 0,
      message: 'Open this link in your browser?',
      detail: parsed.href,
      noLink: true
    })
    if (response !== 1) return false
    await electron.shell.openExternal(parsed.href)
    return true
  }

  const service = createDesktopService({
    dataDir,
    createMessenger: init.createMessenger,
    keyVault: safeStorageKeyVault({ safeStorage: electron.safeStorage, file: join(dataDir, 'storage-key.bin') }),
    defaultRelays: init.defaultRelays ?? [],
    ...(init.fetchRelayInfo != null ? { fetchRelayInfo: init.fetchRelayInfo } : {}),
    openLink,
    ...(init.logger != null ? { logger: init.logger } : {})
  })

  /** Only the main frame of our own window, showing our own page, may call. */
  const trustedSender = (event: InvokeEventLike): boolean => {
    const frame = event.senderFrame
    if (window == null || window.isDestroyed() || frame == null) return false
    const main = window.webContents.mainFrame
    return event.sender.id === window.webContents.id &&
      frame.routingId === main.routingId &&
      frame.processId === main.processId &&
      isAppUrl(frame.url)
  }

  // Invite links: the OS starts the app with the link (Windows, Linux), hands it to the running
  // instance (second-instance), or sends it as open-url (macOS). The user then confirms.
  const offerInvite = (link: string | undefined): void => {
    if (link == null) return
    if (service.offerInvite(link)) showWindow()
  }
  const registered = init.linkHandler != null
    ? app.setAsDefaultProtocolClient(LINK_SCHEME, init.linkHandler.path, init.linkHandler.args)
    : app.setAsDefaultProtocolClient(LINK_SCHEME)
  if (!registered) log?.warn('could not register as the handler of sotto:// links')
  app.on('open-url', (event, url) => {
    event.preventDefault()
    offerInvite(url)
  })
  app.on('second-instance', (_event, argv) => {
    showWindow()
    offerInvite(inviteInArgv(argv))
  })
  app.on('web-contents-created', (_event, contents) => { hardenContents(contents) })
  app.on('window-all-closed', () => { app.quit() })
  app.on('before-quit', event => {
    if (finished) return
    event.preventDefault()
    void shutdown().then(() => {
      finished = true
      resolveStopped()
      app.quit()
    })
  })

  let shuttingDown: Promise<void> | undefined
  const shutdown = (): Promise<void> => {
    shuttingDown ??= (async () => {
      log?.info('shutting down')
      for (const method of METHODS) electron.ipcMain.removeHandler(METHOD_CHANNELS[method])
      try {
        await service.stop()
      } catch (err) {
        log?.error('messenger did not stop cleanly', { error: (err as Error).name })
      }
      tray?.destroy()
      tray = undefined
    })()
    return shuttingDown
  }

  const ready = (async () => {
    await app.whenReady()
    const session = electron.session.defaultSession
    session.setPermissionRequestHandler((_contents, _permission, callback) => { callback(false) })
    session.setPermissionCheckHandler(() => false)

    electron.protocol.handle(APP_SCHEME, async request => {
      const url = new URL(request.url)
      const file = url.host === 'ui' && request.method === 'GET'
        ? await readRendererFile(init.rendererDir, url.pathname)
        : undefined
      if (file == null) return new Response('Not found', { status: 404 })
      return new Response(new Uint8Array(file.body), {
        status: 200,
        headers: { ...securityHeaders(), 'Content-Type': file.contentType }
      })
    })

    for (const method of METHODS) {
      electron.ipcMain.handle(METHOD_CHANNELS[method], async (event, payload): Promise<Result<unknown>> => {
        if (!trustedSender(event)) {
          log?.warn('refused a call from an unknown sender', { method })
          return { ok: false, error: { name: 'UntrustedSenderError', message: 'Calls are accepted only from the Sotto window' } }
        }
        return service.dispatch(method, payload)
      })
    }

    service.subscribe(event => {
      if (window != null && !window.isDestroyed()) window.webContents.send(EVENT_CHANNELS[event.name], event.payload)
      if (event.name === 'unread') tray?.setToolTip(trayText(event.payload.total))
      if (event.name === 'message' && event.payload.direction === 'in' && window?.isFocused() !== true) {
        void service.notificationFor(event.payload).then(content => {
          if (content == null || !electron.Notification.isSupported()) return
          const notification = new electron.Notification(content)
          notification.on('click', showWindow)
          notification.show()
        })
      }
    })

    window = new electron.BrowserWindow({
      width: 1024,
      height: 720,
      minWidth: 640,
      minHeight: 480,
      show: false,
      title: 'Sotto',
      backgroundColor: '#1d1f24',
      autoHideMenuBar: true,
      webPreferences: { ...WEB_PREFERENCES, preload: init.preloadFile }
    })
    window.once('ready-to-show', showWindow)

    if (electron.Tray != null) {
      tray = new electron.Tray(init.trayIcon)
      tray.setToolTip(trayText(0))
      tray.setContextMenu(electron.Menu.buildFromTemplate([
        { label: 'Show Sotto', click: showWindow },
        { label: 'Quit Sotto', click: () => { app.quit() } }
      ]))
      tray.on('click', showWindow)
    }

    await service.start()
    offerInvite(inviteInArgv(init.argv ?? []))
    await window.loadURL(APP_ENTRY)
  })()
  ready.catch(err => { log?.error('start failed', { error: (err as Error).name }) })

  return { role: 'primary', ready, service, window: () => window, stopped }
}

function trayText (unread: number): string {
  return unread === 0 ? 'Sotto' : `Sotto — ${unread} unread`
}
