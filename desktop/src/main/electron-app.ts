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
import { APP_ENTRY, APP_SCHEME, CameraGate, LINK_SCHEME, WEB_PREFERENCES, hardenContents, linkInArgv, isAppUrl } from './electron-surface.js'
import { TrayPresence, hostFeatures } from './electron-tray.js'
import type { ElectronSurface, InvokeEventLike, WindowLike } from './electron-surface.js'
import type { Logger, LoggerFactory } from '@sotto/core'
import type { Result } from '../shared/contract.js'

export * from './electron-surface.js'

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
  /** Directories beside the app where a distributor may put a relay list (see relay-list.ts). */
  relayListDirs?: string[]
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
  /** The OS (`process.platform` by default): it decides whether the app can start at login. */
  platform?: string
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
  const presence = new TrayPresence(electron, hostFeatures(electron, init.platform ?? process.platform))
  let finished = false
  let resolveStopped!: () => void
  const stopped = new Promise<void>(resolve => { resolveStopped = resolve })

  const showWindow = (): void => {
    if (window == null || window.isDestroyed()) return
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
  }

  const camera = new CameraGate()
  const service = createDesktopService({
    dataDir,
    allowCamera: () => { camera.open() },
    createMessenger: init.createMessenger,
    keyVault: safeStorageKeyVault({ safeStorage: electron.safeStorage, file: join(dataDir, 'storage-key.bin') }),
    defaultRelays: init.defaultRelays ?? [],
    ...(init.relayListDirs != null ? { relayListDirs: init.relayListDirs } : {}),
    ...(init.fetchRelayInfo != null ? { fetchRelayInfo: init.fetchRelayInfo } : {}),
    openLink: url => confirmAndOpen(electron, window, url),
    chooseBackupFile: async defaultPath => chooseBackupFile(electron, window, defaultPath),
    chooseSavePath: async name => await chooseSavePath(electron, window, name),
    features: hostFeatures(electron, init.platform ?? process.platform),
    onPreferences: prefs => { presence.apply(prefs) },
    ...(init.logger != null ? { logger: init.logger } : {})
  })

  // Invite and relay links: the OS starts the app with the link (Windows, Linux), hands it to the running
  // instance (second-instance), or sends it as open-url (macOS). The user then confirms.
  const offerLink = (link: string | undefined): void => { if (link != null && service.offerLink(link)) showWindow() }
  receiveLinks(electron, init, offerLink, showWindow, log)
  app.on('web-contents-created', (_event, contents) => { hardenContents(contents) })
  app.on('window-all-closed', () => { app.quit() })
  app.on('activate', showWindow)
  app.on('before-quit', event => {
    presence.quit()
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
      presence.destroy()
    })()
    return shuttingDown
  }

  const ready = (async () => {
    await app.whenReady()
    guardPermissions(electron, () => window, camera)
    serveRenderer(electron, init.rendererDir)
    answerCalls(electron, service, event => trustedSender(window, event), log)
    forwardEvents(electron, service, { window: () => window, presence, showWindow })
    window = createWindow(electron, init.preloadFile)
    window.once('ready-to-show', showWindow)
    presence.create(init.trayIcon, showWindow)
    presence.keepOnClose(window)
    await service.start()
    offerLink(linkInArgv(init.argv ?? []))
    await window.loadURL(APP_ENTRY)
  })()
  ready.catch(err => { log?.error('start failed', { error: (err as Error).name }) })

  return { role: 'primary', ready, service, window: () => window, stopped }
}

/** Takes `sotto://` links from the OS: registers the scheme, and hears open-url and a second instance's argv. */
function receiveLinks (
  electron: ElectronSurface<WindowLike>,
  init: ElectronAppInit,
  offerLink: (link: string | undefined) => void,
  showWindow: () => void,
  log: Logger | undefined
): void {
  registerLinkHandler(electron, init, log)
  electron.app.on('open-url', (event, url) => {
    event.preventDefault()
    offerLink(url)
  })
  electron.app.on('second-instance', (_event, argv) => {
    showWindow()
    offerLink(linkInArgv(argv))
  })
}

/** Sends the service's events to the window, the unread count to the tray, and notifications. */
function forwardEvents (
  electron: ElectronSurface<WindowLike>,
  service: DesktopService,
  { window, presence, showWindow }: { window: () => WindowLike | undefined, presence: TrayPresence, showWindow: () => void }
): void {
  service.subscribe(event => {
    const w = window()
    if (w != null && !w.isDestroyed()) w.webContents.send(EVENT_CHANNELS[event.name], event.payload)
    if (event.name === 'unread') presence.showUnread(event.payload.total)
    if (event.name === 'notification' && w?.isFocused() !== true && electron.Notification.isSupported()) {
      const notification = new electron.Notification({ title: event.payload.title, body: event.payload.body })
      notification.on('click', showWindow)
      notification.show()
    }
  })
}

/** Asks where to save a backup, in a save dialog; undefined when cancelled. */
async function chooseBackupFile<W extends WindowLike> (electron: ElectronSurface<W>, window: W | undefined, defaultPath: string): Promise<string | undefined> {
  if (window == null) return undefined
  const chosen = await electron.dialog.showSaveDialog(window, { title: 'Save the backup', defaultPath })
  return chosen.canceled ? undefined : chosen.filePath
}

/** Opens an https link in the browser once the user confirmed it in a dialog. */
/** Asks where to save a file in the system's save dialog, suggesting `name`; `undefined` if cancelled. */
async function chooseSavePath<W extends WindowLike> (electron: ElectronSurface<W>, window: W | undefined, name: string): Promise<string | undefined> {
  if (window == null) return undefined
  const chosen = await electron.dialog.showSaveDialog(window, { defaultPath: name })
  return chosen.canceled ? undefined : chosen.filePath
}

async function confirmAndOpen<W extends WindowLike> (electron: ElectronSurface<W>, window: W | undefined, url: string): Promise<boolean> {
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

/** Registers the app as the OS's handler of `sotto://` links. */
function registerLinkHandler (electron: ElectronSurface<WindowLike>, init: ElectronAppInit, log?: Logger): void {
  const registered = init.linkHandler != null
    ? electron.app.setAsDefaultProtocolClient(LINK_SCHEME, init.linkHandler.path, init.linkHandler.args)
    : electron.app.setAsDefaultProtocolClient(LINK_SCHEME)
  if (!registered) log?.warn('could not register as the handler of sotto:// links')
}

/**
 * Denies every permission request and check (notifications in the page, microphone, ...), except
 * the camera for the app's own window right after the user pressed "Scan".
 */
function guardPermissions (electron: ElectronSurface<WindowLike>, window: () => WindowLike | undefined, camera: CameraGate): void {
  const session = electron.session.defaultSession
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const own = window()?.webContents.id === contents.id
    callback(permission === 'media' && own && isAppUrl(details?.requestingUrl ?? '') && camera.take(details?.mediaTypes))
  })
  session.setPermissionCheckHandler(() => false)
}

/** Serves the built renderer on the app's scheme, with its security headers. */
function serveRenderer (electron: ElectronSurface<WindowLike>, rendererDir: string): void {
  electron.protocol.handle(APP_SCHEME, async request => {
    const url = new URL(request.url)
    const file = url.host === 'ui' && request.method === 'GET'
      ? await readRendererFile(rendererDir, url.pathname)
      : undefined
    if (file == null) return new Response('Not found', { status: 404 })
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: { ...securityHeaders(), 'Content-Type': file.contentType }
    })
  })
}

/** Only the main frame of our own window, showing our own page, may call. */
function trustedSender (window: WindowLike | undefined, event: InvokeEventLike): boolean {
  const frame = event.senderFrame
  if (window == null || window.isDestroyed() || frame == null) return false
  const main = window.webContents.mainFrame
  return event.sender.id === window.webContents.id &&
    frame.routingId === main.routingId &&
    frame.processId === main.processId &&
    isAppUrl(frame.url)
}

/** Answers each call of the contract on its channel, from trusted senders only. */
function answerCalls (electron: ElectronSurface<WindowLike>, service: DesktopService, trusted: (event: InvokeEventLike) => boolean, log?: Logger): void {
  for (const method of METHODS) {
    electron.ipcMain.handle(METHOD_CHANNELS[method], async (event, payload): Promise<Result<unknown>> => {
      if (!trusted(event)) {
        log?.warn('refused a call from an unknown sender', { method })
        return { ok: false, error: { name: 'UntrustedSenderError', message: 'Calls are accepted only from the Sotto window' } }
      }
      return service.dispatch(method, payload)
    })
  }
}

/** The app's one window, hidden until ready to show. */
function createWindow<W extends WindowLike> (electron: ElectronSurface<W>, preloadFile: string): W {
  return new electron.BrowserWindow({
    width: 1024,
    height: 720,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Sotto',
    backgroundColor: '#1d1f24',
    autoHideMenuBar: true,
    webPreferences: { ...WEB_PREFERENCES, preload: preloadFile }
  })
}

