// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { APP_ENTRY, APP_SCHEME, CameraGate, startElectronApp } from '../../src/main/electron-app.js'
import { EVENT_CHANNELS, METHOD_CHANNELS, METHODS } from '../../src/shared/channels.js'
import { eventFrom, fakeElectron, preventable } from '../fixtures/fake-electron.js'
import { tempDir } from '../fixtures/helpers.js'
import { memoryFactory } from '../fixtures/memory-messenger.js'
import type { ElectronApp } from '../../src/main/electron-app.js'
import type { FakeElectron, FakeWindow } from '../fixtures/fake-electron.js'
import type { MemoryMessenger } from '../fixtures/memory-messenger.js'
import type { Result } from '../../src/shared/contract.js'

type Primary = Extract<ElectronApp, { role: 'primary' }>

let dir: string
let cleanup: () => Promise<void>
let rendererDir: string
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir())
  rendererDir = join(dir, 'renderer')
  await mkdir(rendererDir)
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Sotto</title>')
  await writeFile(join(dir, 'secret.txt'), 'outside the renderer')
})
afterEach(async () => { await cleanup() })

async function start (electron: FakeElectron, factory = memoryFactory(), argv: string[] = [], platform = 'linux'): Promise<{ started: Primary, window: FakeWindow, created: MemoryMessenger[] }> {
  const started = startElectronApp(electron.surface, {
    platform,
    createMessenger: factory.factory,
    preloadFile: '/app/dist/preload/preload.cjs',
    rendererDir,
    trayIcon: '/app/assets/tray.png',
    dataDir: join(dir, 'data'),
    argv,
    linkHandler: { path: '/usr/lib/electron/electron', args: ['/app'] }
  })
  assert.equal(started.role, 'primary')
  electron.app.becomeReady()
  await (started as Primary).ready
  return { started: started as Primary, window: electron.windows[0]!, created: factory.created }
}

const call = async (electron: FakeElectron, window: FakeWindow, method: keyof typeof METHOD_CHANNELS, payload?: unknown): Promise<Result<unknown>> =>
  await electron.ipc.invoke(METHOD_CHANNELS[method], eventFrom(window), payload) as Result<unknown>

describe('Electron app: instances and the window', () => {
  it('a second instance hands over to the first and creates nothing', () => {
    const electron = fakeElectron(dir)
    electron.app.lock = false
    const started = startElectronApp(electron.surface, { createMessenger: memoryFactory().factory, preloadFile: 'p', rendererDir, trayIcon: 't' })
    assert.deepEqual(started, { role: 'secondary' })
    assert.equal(electron.app.quitCalls, 1)
    assert.equal(electron.windows.length, 0)
    assert.equal(electron.ipc.handlers.size, 0)
  })

  it('the first instance shows its window when a second one starts', async () => {
    const electron = fakeElectron(dir)
    const { window } = await start(electron)
    window.minimized = true
    const shows = window.shows
    electron.app.emit('second-instance', {}, ['/usr/bin/sotto'])
    assert.equal(window.restores, 1)
    assert.equal(window.shows, shows + 1)
    assert.ok(window.focuses > 0)
  })

  it('creates one hardened window on the app scheme and denies permissions', async () => {
    const electron = fakeElectron(dir)
    const { window } = await start(electron)
    assert.equal(electron.windows.length, 1)
    assert.deepEqual(electron.schemes, [APP_SCHEME])
    const prefs = window.options.webPreferences
    assert.equal(prefs.contextIsolation, true)
    assert.equal(prefs.sandbox, true)
    assert.equal(prefs.nodeIntegration, false)
    assert.equal(prefs.nodeIntegrationInWorker, false)
    assert.equal(prefs.nodeIntegrationInSubFrames, false)
    assert.equal(prefs.webSecurity, true)
    assert.equal(prefs.allowRunningInsecureContent, false)
    assert.equal(prefs.webviewTag, false)
    assert.equal(prefs.preload, '/app/dist/preload/preload.cjs')
    assert.equal(window.webContents.mainFrame.url, APP_ENTRY)

    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview', 'will-frame-navigate'] as const) {
      assert.equal(window.webContents.attempt(event), true, `${event} is cancelled`)
    }
    assert.deepEqual(window.webContents.windowOpenHandler?.({ url: 'https://example.org/' }), { action: 'deny' })

    let granted: boolean | undefined
    electron.permissionRequest?.(window.webContents, 'media', g => { granted = g }, { requestingUrl: APP_ENTRY, mediaTypes: ['video'] })
    assert.equal(granted, false)
    assert.equal(electron.permissionCheck?.(), false)
  })

  it('serves the renderer with its CSP and nothing outside it', async () => {
    const electron = fakeElectron(dir)
    await start(electron)
    const handler = electron.protocolHandler!
    const ok = await handler(new Request(APP_ENTRY))
    assert.equal(ok.status, 200)
    assert.match(ok.headers.get('content-security-policy') ?? '', /script-src 'self'/)
    assert.match(ok.headers.get('content-type') ?? '', /text\/html/)
    for (const url of [`${APP_SCHEME}://ui/../secret.txt`, `${APP_SCHEME}://ui/%2e%2e/secret.txt`, `${APP_SCHEME}://ui/..%2fsecret.txt`, `${APP_SCHEME}://other/index.html`]) {
      const res = await handler(new Request(url))
      assert.equal(res.status, 404, url)
    }
  })

})

describe('Electron app: IPC, keys and events', () => {
  it('answers IPC only from the main frame of its own window on its own page', async () => {
    const electron = fakeElectron(dir)
    const { window } = await start(electron)
    assert.deepEqual([...electron.ipc.handlers.keys()].sort(), METHODS.map(m => METHOD_CHANNELS[m]).sort())

    const trusted = await call(electron, window, 'status')
    assert.equal(trusted.ok, true)

    const refusals = [
      { sender: { id: window.webContents.id + 1000 }, senderFrame: window.webContents.mainFrame },
      { sender: { id: window.webContents.id }, senderFrame: null },
      eventFrom(window, { routingId: 99 }),
      eventFrom(window, { processId: 1 }),
      eventFrom(window, { url: 'https://evil.example/' }),
      eventFrom(window, { url: 'file:///etc/passwd' }),
      eventFrom(window, { url: 'sotto-app://evil/index.html' })
    ]
    for (const event of refusals) {
      const result = await electron.ipc.invoke(METHOD_CHANNELS.status, event) as Result<unknown>
      assert.deepEqual(result.ok, false)
      assert.equal((result as { ok: false, error: { name: string } }).error.name, 'UntrustedSenderError')
    }
    const bad = await call(electron, window, 'setup', { name: 42, relays: 'all' })
    assert.equal((bad as { ok: false, error: { name: string } }).error.name, 'InvalidPayloadError')
    await assert.rejects(electron.ipc.invoke('sotto:shell:exec', eventFrom(window), 'rm -rf /'), /No handler/)
  })

  it('keeps the storage key in safeStorage and reopens with it', async () => {
    const electron = fakeElectron(dir)
    const { window, created, started } = await start(electron)
    const setup = await call(electron, window, 'setup', { name: 'Ada', relays: [] })
    assert.equal(setup.ok, true)
    const key = created[0]!.options.keySource
    assert.equal(key.kind, 'host-key')
    const onDisk = await readFile(join(dir, 'data', 'storage-key.bin'))
    assert.ok(onDisk.subarray(0, 7).equals(Buffer.from('FAKEOS1')), 'written through safeStorage')
    electron.app.quit()
    await started.stopped

    const second = fakeElectron(dir)
    const again = await start(second)
    assert.equal(again.started.service.status().phase, 'ready')
    assert.deepEqual(again.created[0]!.options.keySource, key)
    second.app.quit()
    await again.started.stopped
  })

  it('pushes events to the window, counts unread in the tray, and notifies without text', async () => {
    const electron = fakeElectron(dir)
    const { window, created, started } = await start(electron)
    await call(electron, window, 'setup', { name: 'Ada', relays: [] })
    const m = created[0]!
    const bob = m.seedContact('Bob')
    const tray = electron.trays[0]!
    const counted = new Promise<void>(resolve => {
      const off = started.service.subscribe(e => { if (e.name === 'unread') { off(); resolve() } })
    })
    window.focused = false
    m.receive(bob.id, 'meet at the usual place')
    await counted
    assert.ok(window.webContents.sent.some(s => s.channel === EVENT_CHANNELS.message))
    assert.ok(window.webContents.sent.some(s => s.channel === EVENT_CHANNELS.unread))
    assert.equal(tray.tooltip, 'Sotto — 1 unread')
    assert.equal(tray.title, '1')
    assert.equal(electron.app.badgeCounts.at(-1), 1, 'dock or taskbar badge')
    await electron.notified
    assert.deepEqual(electron.notifications, [{ title: 'Sotto', body: 'New message' }])
    window.focused = true
    m.receive(bob.id, 'no notification while the window has focus')
    await new Promise<void>(resolve => { started.service.subscribe(e => { if (e.name === 'unread' && e.payload.total === 2) resolve() }) })
    assert.equal(electron.notifications.length, 1)
    electron.app.quit()
    await started.stopped
  })

})

describe('Electron app: links', () => {
  describe('sotto:// invite links', () => {
    const link = 'sotto://invite/AbC-_123'

    it('registers as their handler', async () => {
      const electron = fakeElectron(dir)
      const { started } = await start(electron)
      assert.deepEqual(electron.app.protocolClients, [{ protocol: 'sotto', path: '/usr/lib/electron/electron', args: ['/app'] }])
      electron.app.quit()
      await started.stopped
    })

    it('holds a link from the command line until the renderer takes it, once', async () => {
      const electron = fakeElectron(dir)
      const { window, started } = await start(electron, memoryFactory(), ['/usr/bin/sotto', '--flag', link])
      assert.deepEqual(await call(electron, window, 'pendingInvite'), { ok: true, value: { invite: link } })
      assert.deepEqual(await call(electron, window, 'pendingInvite'), { ok: true, value: { invite: null } })
      electron.app.quit()
      await started.stopped
    })

    it('takes a link from a second instance or open-url, shows the window, and ignores other links', async () => {
      const electron = fakeElectron(dir)
      const { window, started } = await start(electron)
      const invites = (): unknown[] => window.webContents.sent.filter(s => s.channel === EVENT_CHANNELS.invite).map(s => s.payload)
      window.minimized = true
      electron.app.emit('second-instance', {}, ['/usr/bin/sotto', link])
      assert.deepEqual(invites(), [{ invite: link }])
      assert.equal(window.restores, 1)
      const event = preventable()
      electron.app.emit('open-url', event, 'SOTTO://INVITE/ABC 123')
      assert.equal(event.prevented, true)
      assert.deepEqual(invites(), [{ invite: link }, { invite: 'SOTTO://INVITE/ABC 123' }])
      for (const url of ['sotto://invite/<script>', 'sotto://settings', 'https://example.org/', `sotto://invite/${'a'.repeat(40000)}`]) {
        electron.app.emit('open-url', preventable(), url)
      }
      electron.app.emit('second-instance', {}, ['/usr/bin/sotto', 'sotto://invite/a b'])
      assert.equal(invites().length, 2, 'only invite links are offered')
      assert.deepEqual(await call(electron, window, 'pendingInvite'), { ok: true, value: { invite: 'SOTTO://INVITE/ABC 123' } })
      electron.app.quit()
      await started.stopped
    })
  })

  it('takes a short link from a second instance or open-url', async () => {
    const electron = fakeElectron(dir)
    const { window, started } = await start(electron)
    const short = 'sotto://s/AQIDBAUGBwgJCgsMDQ4PEA#a2V5LWtleS1rZXk'
    electron.app.emit('second-instance', {}, ['/usr/bin/sotto', short])
    const event = preventable()
    electron.app.emit('open-url', event, `${short}x`)
    assert.equal(event.prevented, true)
    assert.deepEqual(window.webContents.sent.filter(s => s.channel === EVENT_CHANNELS.invite).map(s => s.payload), [{ invite: short }, { invite: `${short}x` }])
    electron.app.quit()
    await started.stopped
  })

  it('takes a relay link from the command line, a second instance or open-url, apart from invites', async () => {
    const relay = 'sotto://relay/ip4/192.0.2.7/tcp/4001/p2p/12D3KooWGE8Fj24EPMF35MWsCNBfqiHpC5aGRRKjyQKQyzR9HbQi?operator=Poster'
    const electron = fakeElectron(dir)
    const { window, started } = await start(electron, memoryFactory(), ['/usr/bin/sotto', relay])
    const sent = (channel: string): unknown[] => window.webContents.sent.filter(s => s.channel === channel).map(s => s.payload)
    assert.deepEqual(await call(electron, window, 'pendingRelayLink'), { ok: true, value: { link: relay } })
    assert.deepEqual(await call(electron, window, 'pendingRelayLink'), { ok: true, value: { link: null } }, 'taken once')
    window.minimized = true
    electron.app.emit('second-instance', {}, ['/usr/bin/sotto', `${relay}2`])
    assert.equal(window.restores, 1)
    const event = preventable()
    electron.app.emit('open-url', event, `${relay}3`)
    assert.equal(event.prevented, true)
    electron.app.emit('open-url', preventable(), 'sotto://relay/has space')
    assert.deepEqual(sent(EVENT_CHANNELS.relayLink), [{ link: relay }, { link: `${relay}2` }, { link: `${relay}3` }])
    assert.deepEqual(sent(EVENT_CHANNELS.invite), [], 'a relay link is no invite')
    assert.deepEqual(await call(electron, window, 'pendingInvite'), { ok: true, value: { invite: null } })
    assert.deepEqual(await call(electron, window, 'pendingRelayLink'), { ok: true, value: { link: `${relay}3` } })
    electron.app.quit()
    await started.stopped
  })

  it('opens only https links, and only after the user confirmed', async () => {
    const electron = fakeElectron(dir)
    const { window, started } = await start(electron)
    electron.dialogAnswers.push(0)
    assert.deepEqual(await call(electron, window, 'openLink', { url: 'https://example.org/a' }), { ok: true, value: { opened: false } })
    assert.deepEqual(electron.opened, [])
    electron.dialogAnswers.push(1)
    assert.deepEqual(await call(electron, window, 'openLink', { url: 'https://example.org/\u202Egnp.exe' }), { ok: true, value: { opened: true } })
    assert.deepEqual(electron.opened, ['https://example.org/%E2%80%AEgnp.exe'])
    assert.equal(electron.dialogs[1]!.detail, 'https://example.org/%E2%80%AEgnp.exe', 'the dialog shows the encoded URL')
    for (const url of ['http://example.org/', 'javascript:alert(1)', 'file:///etc/passwd', 'sotto://invite/x']) {
      const result = await call(electron, window, 'openLink', { url })
      assert.equal(result.ok, false, url)
    }
    assert.equal(electron.opened.length, 1)
    electron.app.quit()
    await started.stopped
  })

})

describe('Electron app: saving a file', () => {
  it('saves where the user chose in the system\'s dialog, and nowhere when they cancel', async () => {
    const electron = fakeElectron(dir)
    const { window, started, created } = await start(electron)
    await call(electron, window, 'setup', { name: 'Ada', relays: [] })
    const bob = created[0]!.seedContact('Bob').id
    const { uploadId } = (await call(electron, window, 'startUpload', { name: 'plan.pdf', size: 3 }) as { value: { uploadId: string } }).value
    await call(electron, window, 'uploadChunk', { uploadId, offset: 0, data: Buffer.from('pdf').toString('base64') })
    const { id } = (await call(electron, window, 'sendUpload', { uploadId, contactId: bob }) as { value: { id: string } }).value
    assert.deepEqual(await call(electron, window, 'saveFile', { messageId: id, name: 'plan.pdf' }), { ok: true, value: { outcome: 'cancelled' } })
    const target = join(dir, 'chosen.pdf')
    electron.saveAnswers.push(target)
    assert.deepEqual(await call(electron, window, 'saveFile', { messageId: id, name: 'plan.pdf' }), { ok: true, value: { outcome: 'saved' } })
    assert.deepEqual(electron.saveSuggestions, ['plan.pdf', 'plan.pdf'])
    assert.equal(await readFile(target, 'utf8'), 'pdf')
    assert.equal((await call(electron, window, 'saveFile', { messageId: id, name: '../plan.pdf' })).ok, false, 'a name with a path is refused')
    electron.app.quit()
    await started.stopped
  })
})

describe('Electron app: shutdown and staying online', () => {
  it('shuts down cleanly: stops the messenger once, removes handlers, then quits', async () => {
    const electron = fakeElectron(dir)
    const { window, created, started } = await start(electron)
    await call(electron, window, 'setup', { name: 'Ada', relays: [] })
    const m = created[0]!
    let stops = 0
    const stop = m.stop.bind(m)
    m.stop = async () => { stops++; await stop() }

    electron.app.quit()
    electron.app.quit()
    await started.stopped
    await electron.app.quitted
    assert.equal(stops, 1)
    assert.equal(m.stopped, true)
    assert.equal(electron.ipc.handlers.size, 0)
    assert.equal(electron.trays[0]!.destroyed, true)
    assert.equal(started.service.status().phase, 'stopped')
  })

  it('closing the window keeps Sotto running in the tray, until Quit or the setting says otherwise', async () => {
    const electron = fakeElectron(dir)
    const { window, started, created } = await start(electron)
    await call(electron, window, 'setup', { name: 'Ada', relays: [] })
    const settings = await call(electron, window, 'settings') as { ok: true, value: { closeToTray?: boolean, startAtLogin?: boolean } }
    assert.equal(settings.value.closeToTray, true, 'on by default')
    assert.equal(settings.value.startAtLogin, undefined, 'no login items on Linux')
    assert.equal(window.close(), false, 'closing hides the window')
    assert.equal(window.hides, 1)
    assert.equal(created[0]!.stopped, false, 'the messenger keeps running')
    const shows = window.shows
    electron.trays[0]!.emit('click')
    assert.equal(window.shows, shows + 1, 'the tray shows it again')

    assert.equal((await call(electron, window, 'updateSettings', { closeToTray: false })).ok, true)
    assert.equal(window.close(), true, 'with the setting off, closing closes')
    electron.app.emit('window-all-closed')
    await started.stopped
    await electron.app.quitted
    assert.equal(created[0]!.stopped, true)
  })

  it('Quit in the tray menu quits, and the window then closes', async () => {
    const electron = fakeElectron(dir)
    const { window, started, created } = await start(electron)
    await call(electron, window, 'setup', { name: 'Ada', relays: [] })
    const menu = electron.trays[0]!.menu as Array<{ label: string, click: () => void }>
    menu.find(item => item.label === 'Quit Sotto')!.click()
    assert.equal(window.close(), true, 'not kept while quitting')
    await started.stopped
    await electron.app.quitted
    assert.equal(created[0]!.stopped, true)
  })

  it('starts at login only once the user asks, where the OS offers it', async () => {
    const electron = fakeElectron(dir)
    const { window, started } = await start(electron, memoryFactory(), [], 'win32')
    await call(electron, window, 'setup', { name: 'Ada', relays: [] })
    assert.deepEqual(electron.app.loginItems, [{ openAtLogin: false }], 'off by default')
    const updated = await call(electron, window, 'updateSettings', { startAtLogin: true }) as { ok: true, value: { startAtLogin?: boolean } }
    assert.equal(updated.value.startAtLogin, true)
    assert.deepEqual(electron.app.loginItems.at(-1), { openAtLogin: true })
    electron.app.quit()
    await started.stopped

    const linux = fakeElectron(dir)
    const again = await start(linux)
    const refused = await call(linux, again.window, 'updateSettings', { startAtLogin: true })
    assert.equal(refused.ok, false)
    assert.equal((refused as { ok: false, error: { name: string } }).error.name, 'UnsupportedError')
    assert.deepEqual(linux.app.loginItems, [])
    linux.app.quit()
    await again.started.stopped
  })

  it('quits when the window is closed', async () => {
    const electron = fakeElectron(dir)
    const { started } = await start(electron)
    electron.app.emit('window-all-closed')
    await started.stopped
    await electron.app.quitted
  })
})

describe('Electron app: the camera for QR codes', () => {
  const ask = (electron: FakeElectron, contents: { id: number }, permission: string, details: { requestingUrl: string, mediaTypes?: string[] }): boolean => {
    let granted: boolean | undefined
    electron.permissionRequest?.(contents, permission, g => { granted = g }, details)
    assert.notEqual(granted, undefined, 'every request is answered at once')
    return granted!
  }
  const video = { requestingUrl: APP_ENTRY, mediaTypes: ['video'] }

  it('is granted only for the one video request of the window that follows "Scan"', async () => {
    const electron = fakeElectron(dir)
    const { window, started } = await start(electron)
    assert.equal(ask(electron, window.webContents, 'media', video), false, 'not before Scan')
    assert.deepEqual(await call(electron, window, 'requestCamera'), { ok: true, value: null })
    assert.equal(ask(electron, window.webContents, 'media', { requestingUrl: APP_ENTRY, mediaTypes: ['video', 'audio'] }), false, 'never the microphone')
    assert.equal(ask(electron, { id: window.webContents.id + 1 }, 'media', video), false, 'never another contents')
    assert.equal(ask(electron, window.webContents, 'media', { requestingUrl: 'https://example.org/', mediaTypes: ['video'] }), false, 'never another page')
    assert.equal(ask(electron, window.webContents, 'notifications', video), false, 'never another permission')
    assert.equal(ask(electron, window.webContents, 'media', video), true, 'the camera, once')
    assert.equal(ask(electron, window.webContents, 'media', video), false, 'and only once')
    electron.app.quit()
    await started.stopped
  })

  it('closes again when the request does not follow "Scan" soon', () => {
    let now = 1_000
    const gate = new CameraGate(() => now)
    gate.open()
    now += 30_001
    assert.equal(gate.take(['video']), false)
    gate.open()
    now += 29_000
    assert.equal(gate.take(['video']), true)
  })
})
