// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { createDesktopService } from '../../src/main/desktop-service.js'
import { askBrowserPermission, browserNotificationState, showBrowserNotifications } from '../../src/renderer/browser-notifications.js'
import { serviceBridge } from '../fixtures/app-harness.js'
import { nextEvent, tempDir, value } from '../fixtures/helpers.js'
import { memoryFactory } from '../fixtures/memory-messenger.js'
import type { DesktopService } from '../../src/main/desktop-service.js'
import type { BrowserNotificationEnv } from '../../src/renderer/browser-notifications.js'
import type { MemoryMessenger } from '../fixtures/memory-messenger.js'

/** A browser's Notification API that records what it was asked to show. */
function fakeBrowser (permission: NotificationPermission, seen = false): BrowserNotificationEnv & { shown: Array<{ title: string, body: string, tag: string }>, focused: number } {
  const env = {
    shown: [] as Array<{ title: string, body: string, tag: string }>,
    focused: 0,
    isSeen: () => seen,
    focus: () => { env.focused++ },
    Notification: class {
      static permission = permission
      static async requestPermission (): Promise<NotificationPermission> {
        this.permission = 'granted'
        return 'granted'
      }

      onclick: ((ev: Event) => unknown) | null = null
      constructor (title: string, options: { body: string, tag: string }) {
        env.shown.push({ title, ...options })
        queueMicrotask(() => { this.onclick?.(new Event('click')) })
      }
    }
  }
  return env
}

describe('browser notifications (headless mode)', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let service: DesktopService
  let m: MemoryMessenger
  let stop: (() => void) | undefined

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir())
    const { factory, created } = memoryFactory()
    service = createDesktopService({ dataDir: join(dir, 'data'), createMessenger: factory, passphrase: 'correct horse battery' })
    await service.start()
    value(await service.dispatch('setup', { name: 'Ada', relays: [] }))
    m = created[0]!
  })
  afterEach(async () => {
    stop?.()
    await service.stop()
    await cleanup()
  })

  /** Delivers a message from Bob and waits until the page had its notification event. */
  const receive = async (text: string): Promise<string> => {
    const bob = m.seedContact('Bob')
    const pushed = nextEvent(service, 'notification')
    m.receive(bob.id, text)
    await pushed
    return bob.id
  }

  it('shows "New message" without name or text by default, once permitted, while the page is not seen', async () => {
    const browser = fakeBrowser('default')
    stop = showBrowserNotifications(serviceBridge(service), browser)
    assert.equal(browserNotificationState(), 'ask')
    await receive('the secret plan')
    assert.deepEqual(browser.shown, [], 'nothing before the user allowed it')

    await askBrowserPermission()
    assert.equal(browserNotificationState(), 'granted')
    const bob = await receive('the secret plan')
    assert.deepEqual(browser.shown, [{ title: 'Sotto', body: 'New message', tag: bob }])
    await new Promise<void>(resolve => { queueMicrotask(resolve) })
    assert.equal(browser.focused, 1, 'a click brings the page forward')
  })

  it('follows the preview setting, and shows nothing while the page is seen', async () => {
    value(await service.dispatch('updateSettings', { notificationPreview: 'name-and-text' }))
    const seen = fakeBrowser('granted', true)
    stop = showBrowserNotifications(serviceBridge(service), seen)
    await receive('see you at noon')
    assert.deepEqual(seen.shown, [])
    stop()

    const hidden = fakeBrowser('granted', false)
    stop = showBrowserNotifications(serviceBridge(service), hidden)
    const bob = await receive('see you at noon')
    assert.deepEqual(hidden.shown, [{ title: 'Bob', body: 'see you at noon', tag: bob }])
  })

  it('is not in use where the page has no notification bridge (Electron)', () => {
    assert.equal(browserNotificationState(), undefined)
  })
})
