// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Electron's entry point (`main` in package.json): hands the real Electron surface to
 * `startElectronApp`. Everything testable lives there.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, safeStorage, session, shell, Tray } from 'electron'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fetchRelayInfo, loadMessengerFactory } from './core-loader.js'
import { startElectronApp } from './electron-app.js'
import { pinoLoggers } from './logger.js'
import { defaultRelays } from './relays.js'
import { PRELOAD_FILE, RENDERER_DIR } from './renderer-files.js'
import type { ElectronSurface } from './electron-app.js'

const logger = pinoLoggers()
const surface: ElectronSurface<BrowserWindow> = { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, safeStorage, session, shell, Tray }

const started = startElectronApp(surface, {
  createMessenger: async options => (await loadMessengerFactory())(options),
  fetchRelayInfo,
  preloadFile: PRELOAD_FILE,
  rendererDir: RENDERER_DIR,
  trayIcon: fileURLToPath(new URL('../../../assets/tray.png', import.meta.url)),
  defaultRelays: defaultRelays(),
  // A distributor's relays.txt / relays.json in the app's resources directory.
  relayListDirs: [process.resourcesPath],
  logger,
  argv: process.argv,
  ...(process.defaultApp && process.argv[1] != null ? { linkHandler: { path: process.execPath, args: [resolve(process.argv[1])] } } : {})
})

if (started.role === 'primary') {
  let signals = 0
  const onSignal = (): void => {
    // The first signal shuts down cleanly; a second one does not wait.
    if (++signals > 1) process.exit(1)
    app.quit()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}
