// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Calls about settings: the messenger's own (LAN discovery, receipts, jurisdictions) and the
 * desktop app's preferences (theme, notifications), which live in `desktop.json`.
 */
import { settingsView } from '../views.js'
import type { HandlerGroup, MessengerComponents } from './handlers.js'
import type { DesktopConfig } from '../desktop-config.js'

/** What the settings handlers use. */
export interface SettingsHandlersComponents extends MessengerComponents {
  /** The desktop config; throws `NotReadyError` before set-up. */
  config: () => DesktopConfig
  /** Writes the desktop config. */
  saveConfig: (next: DesktopConfig) => Promise<void>
}

/** The handlers of the settings calls. */
export function settingsHandlers ({ messenger, config, saveConfig }: SettingsHandlersComponents): HandlerGroup<'settings' | 'updateSettings'> {
  return {
    settings: async () => settingsView(await messenger().settings(), config().prefs),
    updateSettings: async (patch) => {
      const m = messenger()
      const { theme, notifications, notificationPreview, ...core } = patch
      const settings = Object.keys(core).length > 0 ? await m.updateSettings(core) : await m.settings()
      const cfg = config()
      const prefs = { ...cfg.prefs }
      if (theme != null) prefs.theme = theme
      if (notifications != null) prefs.notifications = notifications
      if (notificationPreview != null) prefs.notificationPreview = notificationPreview
      if (theme != null || notifications != null || notificationPreview != null) await saveConfig({ ...cfg, prefs })
      return settingsView(settings, prefs)
    }
  }
}
