// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Calls about settings: the messenger's own (LAN discovery, receipts, hiding the IP address,
 * jurisdictions) and the
 * desktop app's preferences (theme, notifications, tray, start at login), which live in
 * `desktop.json`.
 */
import { UnsupportedError } from '../errors.js'
import { settingsView } from '../views.js'
import type { HandlerGroup, MessengerComponents } from './handlers.js'
import type { DesktopConfig, HostFeatures } from '../desktop-config.js'

/** What the settings handlers use. */
export interface SettingsHandlersComponents extends MessengerComponents {
  /** The desktop config; throws `NotReadyError` before set-up. */
  config: () => DesktopConfig
  /** Writes the desktop config. */
  saveConfig: (next: DesktopConfig) => Promise<void>
  /** What the host offers (tray, login item): the preferences it cannot honour are refused. */
  features: HostFeatures
}

/** The handlers of the settings calls. */
export function settingsHandlers ({ messenger, config, saveConfig, features }: SettingsHandlersComponents): HandlerGroup<'settings' | 'updateSettings'> {
  return {
    settings: async () => settingsView(await messenger().settings(), config().prefs, features),
    updateSettings: async (patch) => {
      const m = messenger()
      const { theme, notifications, notificationPreview, closeToTray, startAtLogin, ...core } = patch
      if (closeToTray != null && !features.tray) throw new UnsupportedError('There is no tray to keep Sotto in here')
      if (startAtLogin != null && !features.loginItem) throw new UnsupportedError('Sotto cannot start at login here')
      const settings = Object.keys(core).length > 0 ? await m.updateSettings(core) : await m.settings()
      const cfg = config()
      const own = { theme, notifications, notificationPreview, closeToTray, startAtLogin }
      const changed = Object.fromEntries(Object.entries(own).filter(([, v]) => v != null))
      const prefs = { ...cfg.prefs, ...changed }
      if (Object.keys(changed).length > 0) await saveConfig({ ...cfg, prefs })
      return settingsView(settings, prefs, features)
    }
  }
}
