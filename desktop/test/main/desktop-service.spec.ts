// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { createDesktopService } from '../../src/main/desktop-service.js'
import { messageView } from '../../src/main/views.js'
import { METHODS } from '../../src/shared/channels.js'
import { memoryLinkReader } from '../fixtures/memory-links.js'
import { memoryFactory, PUBLISHED_RELAYS } from '../fixtures/memory-messenger.js'
import { nextEvent, tempDir, value } from '../fixtures/helpers.js'
import type { KeyVault } from '../../src/main/key-vault.js'
import type { Result } from '../../src/shared/contract.js'

const RELAY = '/ip4/127.0.0.1/tcp/4010/p2p/12D3KooWRelayRelayRelayRelayRelayRelayRelayRelay'

function memoryVault (available = true): KeyVault & { key?: Uint8Array } {
  const vault: KeyVault & { key?: Uint8Array } = {
    available: () => available,
    load: async () => vault.key,
    create: async () => { vault.key ??= new Uint8Array(32).fill(7); return vault.key },
    remove: async () => { delete vault.key }
  }
  return vault
}

function errorName (result: Result<unknown>): string {
  assert.equal(result.ok, false, 'expected an error')
  return (result as { ok: false, error: { name: string } }).error.name
}

let dir: string
let cleanup: () => Promise<void>
beforeEach(async () => { ({ dir, cleanup } = await tempDir()) })
afterEach(async () => { await cleanup() })

describe('DesktopService: start and set-up', () => {
  it('offers relays in setup with what they publish, once they answer', async () => {
    const other = `/ip4/127.0.0.1/tcp/4002/p2p/${RELAY.split('/p2p/')[1]!}`
    const asked: string[] = []
    const service = createDesktopService({
      dataDir: dir,
      createMessenger: memoryFactory().factory,
      defaultRelays: [{ address: RELAY, operator: 'From the list' }, { address: other }],
      fetchRelayInfo: async address => {
        asked.push(address)
        if (address === other) throw new Error('unreachable')
        return { operator: 'Published', jurisdiction: 'CH', contact: 'mailto:a@example.org', retentionSeconds: 86400 }
      }
    })
    const answered = nextEvent(service, 'app', s => s.defaultRelays[0]?.reachable === true)
    const first = await service.start()
    assert.equal(first.phase, 'setup')
    const status = await answered
    assert.deepEqual(asked.sort(), [RELAY, other].sort())
    assert.deepEqual(status.defaultRelays.map(r => [r.operator, r.jurisdiction, r.reachable]), [['Published', 'CH', true], [undefined, undefined, false]])
    assert.equal(status.defaultRelays[0]!.retentionSeconds, 86400)
    await service.stop()
  })

  it('a set-up asked for while the service starts (reading the relay lists) waits for it', async () => {
    await writeFile(join(dir, 'relays.txt'), `sotto://relay${RELAY}?operator=Listed\n`)
    const service = createDesktopService({ dataDir: dir, createMessenger: memoryFactory().factory, passphrase: 'correct horse battery', links: memoryLinkReader() })
    const started = service.start()
    const setup = await service.dispatch('setup', { name: 'Ada', relays: [] })
    assert.equal(setup.ok, true, JSON.stringify(setup))
    assert.equal((await started).defaultRelays[0]?.operator, 'Listed')
    assert.equal(service.status().phase, 'ready')
    await service.stop()
  })

  it('a set-up asked for before anyone called start starts the service and waits for it', async () => {
    const service = createDesktopService({ dataDir: dir, createMessenger: memoryFactory().factory, passphrase: 'correct horse battery' })
    const setup = await service.dispatch('setup', { name: 'Ada', relays: [] })
    assert.equal(setup.ok, true, JSON.stringify(setup))
    assert.equal(service.status().phase, 'ready')
    assert.equal((await service.start()).phase, 'setup', 'start ran once, before the set-up')
    await service.stop()
  })

  it('starts in setup, creates an identity with the keychain, and reopens it', async () => {
    const vault = memoryVault()
    const { factory, created } = memoryFactory()
    const service = createDesktopService({ dataDir: dir, createMessenger: factory, keyVault: vault, defaultRelays: [{ address: RELAY, operator: 'Example', jurisdiction: 'IS' }] })
    const first = await service.start()
    assert.equal(first.phase, 'setup')
    assert.equal(first.keyStorage, 'keychain')
    assert.deepEqual(first.defaultRelays.map(r => r.jurisdiction), ['IS'])

    const ready = value(await service.dispatch('setup', { name: 'Ada', relays: [RELAY] })) as { phase: string, identity: { name: string } }
    assert.equal(ready.phase, 'ready')
    assert.equal(ready.identity.name, 'Ada')
    assert.equal(created[0]!.options.keySource.kind, 'host-key')
    assert.deepEqual(created[0]!.options.relays, [RELAY])
    assert.equal(created[0]!.options.dataDir, join(dir, 'messenger'))
    const config = JSON.parse(await readFile(join(dir, 'desktop.json'), 'utf8')) as { keyMode: string, relays: Array<{ operator: string }> }
    assert.equal(config.keyMode, 'host-key')
    assert.equal(config.relays[0]!.operator, 'Example')
    assert.equal((await stat(join(dir, 'desktop.json'))).mode & 0o077, 0)
    await service.stop()
    assert.equal(created[0]!.stopped, true)

    const again = createDesktopService({ dataDir: dir, createMessenger: factory, keyVault: vault })
    assert.equal((await again.start()).phase, 'ready')
    assert.equal((value(await again.dispatch('identity', undefined)) as { name: string }).name, 'Ada')
    await again.stop()
  })
})

describe('DesktopService: passphrases and failed set-ups', () => {
  it('requires a passphrase where there is no keychain, then asks for it on the next start', async () => {
    const { factory } = memoryFactory()
    const service = createDesktopService({ dataDir: dir, createMessenger: factory, keyVault: memoryVault(false) })
    assert.equal((await service.start()).keyStorage, 'passphrase')
    assert.equal(errorName(await service.dispatch('setup', { name: 'Ada', relays: [] })), 'PassphraseRequiredError')
    assert.equal(errorName(await service.dispatch('setup', { name: 'Ada', relays: [], passphrase: 'short' })), 'InvalidPayloadError')
    value(await service.dispatch('setup', { name: 'Ada', relays: [], passphrase: 'correct horse battery' }))
    await service.stop()

    const locked = createDesktopService({ dataDir: dir, createMessenger: factory })
    assert.equal((await locked.start()).phase, 'locked')
    assert.equal(errorName(await locked.dispatch('contacts', undefined)), 'NotReadyError')
    assert.equal(errorName(await locked.dispatch('unlock', { passphrase: 'wrong passphrase' })), 'WrongPassphraseError')
    assert.equal(locked.status().phase, 'locked')
    assert.equal(locked.status().error?.name, 'WrongPassphraseError')
    const unlocked = value(await locked.dispatch('unlock', { passphrase: 'correct horse battery' })) as { phase: string }
    assert.equal(unlocked.phase, 'ready')
    assert.equal(errorName(await locked.dispatch('unlock', { passphrase: 'correct horse battery' })), 'WrongPhaseError')
    await locked.stop()

    const fromEnv = createDesktopService({ dataDir: dir, createMessenger: factory, passphrase: 'correct horse battery' })
    assert.equal((await fromEnv.start()).phase, 'ready')
    await fromEnv.stop()
  })

  it('holds a passphrase from the environment to the same rule as the form and the CLI', async () => {
    const { factory } = memoryFactory()
    const service = createDesktopService({ dataDir: dir, createMessenger: factory, keyVault: memoryVault(false), passphrase: 'short' })
    await service.start()
    assert.equal(errorName(await service.dispatch('setup', { name: 'Ada', relays: [] })), 'WeakPassphraseError')
    assert.equal(service.status().phase, 'setup')
    await service.stop()
  })

  it('leaves nothing behind when a fresh set-up fails', async () => {
    const vault = memoryVault()
    const failing = async (): Promise<never> => { throw Object.assign(new Error('disk full'), { name: 'StorageCorruptError' }) }
    const service = createDesktopService({ dataDir: dir, createMessenger: failing, keyVault: vault })
    await service.start()
    assert.equal(errorName(await service.dispatch('setup', { name: 'Ada', relays: [] })), 'StorageCorruptError')
    assert.equal(service.status().phase, 'setup')
    assert.equal(vault.key, undefined)
    await assert.rejects(stat(join(dir, 'desktop.json')), { code: 'ENOENT' })
  })

})

describe('DesktopService: refusals', () => {
  it('refuses unknown calls and malformed payloads without calling the messenger', async () => {
    const { factory, created } = memoryFactory()
    const service = createDesktopService({ dataDir: dir, createMessenger: factory, passphrase: 'correct horse battery' })
    await service.start()
    value(await service.dispatch('setup', { name: 'Ada', relays: [] }))
    const m = created[0]!
    const c = m.seedContact('Bob')
    const bad: Array<[unknown, unknown]> = [
      ['nope', undefined],
      ['__proto__', undefined],
      ['constructor', undefined],
      ['toString', undefined],
      [42, undefined],
      ['send', undefined],
      ['send', null],
      ['send', 'hello'],
      ['send', { contactId: c.id }],
      ['send', { contactId: c.id, text: 42 }],
      ['send', { contactId: c.id, text: '   ' }],
      ['send', { contactId: c.id, text: 'x'.repeat(16001) }],
      ['send', { contactId: c.id, text: 'hi', extra: true }],
      ['send', { contactId: '', text: 'hi' }],
      ['contacts', { unexpected: 1 }],
      ['history', { contactId: c.id, limit: 0 }],
      ['history', { contactId: c.id, limit: 1e9 }],
      ['history', { contactId: c.id, before: '../../etc' }],
      ['setDisappearing', { contactId: c.id, seconds: 17 }],
      ['setDisappearing', { contactId: c.id, seconds: -1 }],
      ['updateSettings', { theme: 'neon' }],
      ['updateSettings', { excludedJurisdictions: ['germany'] }],
      ['updateSettings', { isAdmin: true }],
      ['addContact', { invite: 'https://evil.example/invite' }],
      ['addContact', { invite: 'sotto://invite/abc<script>' }],
      ['addRelay', { address: '/ip4/1.2.3.4/tcp/1' }],
      ['openLink', { url: 'javascript:alert(1)' }],
      ['openLink', { url: 'http://example.org/' }],
      ['openLink', { url: 'https://user:pass@example.org/' }],
      ['setVerified', { contactId: c.id, verified: 'yes' }]
    ]
    for (const [method, payload] of bad) {
      const result = await service.dispatch(method, payload)
      assert.equal(result.ok, false, `${String(method)} ${JSON.stringify(payload)} should be refused`)
      const name = errorName(result)
      assert.ok(name === 'UnknownMethodError' || name === 'InvalidPayloadError', `${String(method)}: ${name}`)
    }
    assert.deepEqual(await m.history(c.id), [], 'nothing was sent')
    assert.equal((await m.settings()).mdns, true)
    await service.stop()
  })

})

describe('DesktopService: calls and events', () => {
  it('answers every call of the contract and pushes the messenger events', async () => {
    const { factory, created } = memoryFactory()
    const service = createDesktopService({ dataDir: dir, createMessenger: factory, passphrase: 'correct horse battery' })
    await service.start()
    value(await service.dispatch('setup', { name: 'Ada', relays: [] }))
    const m = created[0]!
    const bob = m.seedContact('Bob')

    const link = value(await service.dispatch('createInvite', undefined)) as { link: string, qr: string }
    assert.match(link.link, /^sotto:\/\/invite\//)
    assert.match(link.qr, /^SOTTO:\/\/INVITE\//)
    assert.equal(errorName(await service.dispatch('addContact', { invite: link.link })), 'InvalidInputError')

    const incoming = nextEvent(service, 'message')
    const unread = nextEvent(service, 'unread', u => u.total === 1)
    const notification = nextEvent(service, 'notification')
    m.receive(bob.id, 'hello Ada')
    assert.equal((await incoming).text, 'hello Ada')
    assert.deepEqual(await notification, { title: 'Sotto', body: 'New message', contactId: bob.id }, 'neither name nor text by default')
    assert.equal((await unread).total, 1)
    assert.equal(service.unreadTotal(), 1)
    const none = nextEvent(service, 'unread', u => u.total === 0)
    value(await service.dispatch('markRead', { contactId: bob.id }))
    await none

    const sent = value(await service.dispatch('send', { contactId: bob.id, text: 'hi Bob' })) as { id: string, state: string }
    assert.equal(sent.state, 'queued')
    const status = nextEvent(service, 'status')
    m.setState(sent.id, 'delivered')
    assert.deepEqual(await status, { id: sent.id, contactId: bob.id, state: 'delivered' })

    const history = value(await service.dispatch('history', { contactId: bob.id, limit: 1 })) as Array<{ text: string }>
    assert.deepEqual(history.map(h => h.text), ['hi Bob'])

    const request = nextEvent(service, 'request')
    m.request('Stranger', 'let me in')
    const stranger = await request
    assert.equal(stranger.status, 'request')
    assert.equal((value(await service.dispatch('requests', undefined)) as unknown[]).length, 1)
    assert.equal((value(await service.dispatch('accept', { contactId: stranger.id })) as { status: string }).status, 'contact')
    assert.equal((value(await service.dispatch('block', { contactId: stranger.id })) as { blocked: boolean }).blocked, true)
    assert.equal((value(await service.dispatch('unblock', { contactId: stranger.id })) as { blocked: boolean }).blocked, false)
    assert.equal((value(await service.dispatch('setVerified', { contactId: bob.id, verified: true })) as { verified: boolean }).verified, true)
    assert.equal((value(await service.dispatch('setDisappearing', { contactId: bob.id, seconds: 3600 })) as { disappearingSeconds: number }).disappearingSeconds, 3600)
    assert.equal((value(await service.dispatch('renameContact', { contactId: bob.id, alias: 'Bobby' })) as { alias: string }).alias, 'Bobby')
    assert.equal((value(await service.dispatch('acceptKeyChange', { contactId: bob.id })) as { identityChanged: boolean }).identityChanged, false)
    const connection = nextEvent(service, 'connection')
    m.setPresence(bob.id, 'relay')
    assert.deepEqual(await connection, { contactId: bob.id, presence: 'relay' })

    const settings = value(await service.dispatch('updateSettings', { theme: 'dark', mdns: false, excludedJurisdictions: ['US'], notificationPreview: 'name', autoDownloadBytes: 1000 })) as Record<string, unknown>
    assert.deepEqual(settings, { mdns: false, readReceipts: false, typingIndicators: false, hideIp: false, excludedJurisdictions: ['US'], autoDownloadBytes: 1000, theme: 'dark', notifications: true, notificationPreview: 'name' }, 'no tray or login item in headless mode')
    assert.equal(errorName(await service.dispatch('updateSettings', { closeToTray: false })), 'UnsupportedError')
    assert.deepEqual(value(await service.dispatch('settings', undefined)), settings)

    const relays = value(await service.dispatch('addRelay', { address: RELAY })) as Array<{ address: string, source: string }>
    assert.deepEqual(relays.map(r => [r.address, r.source]), [[RELAY, 'user']])
    assert.deepEqual(value(await service.dispatch('removeRelay', { address: RELAY })), [])
    assert.equal(errorName(await service.dispatch('openLink', { url: 'https://example.org/' })), 'UnsupportedError')

    value(await service.dispatch('deleteContact', { contactId: stranger.id }))
    assert.equal(errorName(await service.dispatch('contact', { contactId: stranger.id })), 'NotFoundError')
    assert.ok(METHODS.length > 20)
    await service.stop()
  })

})

describe('DesktopService: sending and failures', () => {
  it('stores messages in the order the send calls came, even when the messenger is slow to take one', async () => {
    const { factory, created } = memoryFactory()
    const service = createDesktopService({ dataDir: dir, createMessenger: factory, passphrase: 'correct horse battery' })
    await service.start()
    value(await service.dispatch('setup', { name: 'Ada', relays: [] }))
    const m = created[0]!
    const bob = m.seedContact('Bob')
    // Like the real messenger, which looks the contact up before it takes its lock: here the
    // first call takes longest, so calls running side by side would store it last.
    const send = m.send.bind(m)
    let calls = 0
    m.send = async (ref, text) => {
      const wait = calls++ === 0 ? 3 : 0
      for (let i = 0; i < wait; i++) await new Promise<void>(resolve => { setImmediate(resolve) })
      return send(ref, text)
    }
    const texts = ['one', 'two', 'three']
    await Promise.all(texts.map(text => service.dispatch('send', { contactId: bob.id, text })))
    const history = value(await service.dispatch('history', { contactId: bob.id })) as Array<{ text: string }>
    assert.deepEqual(history.map(h => h.text), texts)
    await service.stop()
  })

  it('hides unexpected errors behind a generic message', async () => {
    const { factory, created } = memoryFactory()
    const service = createDesktopService({ dataDir: dir, createMessenger: factory, passphrase: 'correct horse battery' })
    await service.start()
    value(await service.dispatch('setup', { name: 'Ada', relays: [] }))
    created[0]!.contacts = async () => { throw new Error('secret internal path /home/ada/.key') }
    const result = await service.dispatch('contacts', undefined)
    assert.deepEqual(result, { ok: false, error: { name: 'InternalError', message: 'Something went wrong inside Sotto; see the log for details' } })
    await service.stop()
  })

  it('reports online once a home relay holds a reservation, and pushes relay changes', async () => {
    const { factory, created } = memoryFactory()
    const service = createDesktopService({ dataDir: dir, createMessenger: factory, passphrase: 'correct horse battery' })
    await service.start()
    const online = nextEvent(service, 'app', s => s.online)
    value(await service.dispatch('setup', { name: 'Ada', relays: [RELAY] }))
    assert.equal(service.status().online, false)
    const relay = nextEvent(service, 'relay', r => r.reserved)
    created[0]!.setRelay(RELAY, { reserved: true })
    assert.deepEqual(await relay, { address: RELAY, source: 'user', enabled: true, reachable: true, reserved: true, mailboxReady: true })
    assert.equal((await online).online, true)
    await service.stop()
  })

})

describe('DesktopService: relays and shutdown', () => {
  it('manages the messenger\'s home relays: what they publish, and refusal of excluded jurisdictions', async () => {
    const PUBLISHED = '/ip4/127.0.0.1/tcp/4011/p2p/12D3KooWPublishedPublishedPublishedPublished'
    PUBLISHED_RELAYS.set(PUBLISHED, { operator: 'Example Community', contact: 'mailto:relay@example.org', jurisdiction: 'DE' })
    try {
      const { factory, created } = memoryFactory()
      const service = createDesktopService({ dataDir: dir, createMessenger: factory, passphrase: 'correct horse battery', defaultRelays: [{ address: RELAY }] })
      await service.start()
      value(await service.dispatch('setup', { name: 'Ada', relays: [RELAY] }))
      assert.deepEqual(created[0]!.options.relays, [RELAY])
      const relays = value(await service.dispatch('addRelay', { address: PUBLISHED })) as Array<Record<string, unknown>>
      assert.deepEqual(relays.map(r => [r.address, r.source, r.operator, r.jurisdiction]), [
        [RELAY, 'default', undefined, undefined],
        [PUBLISHED, 'user', 'Example Community', 'DE']
      ])
      assert.equal((relays[1] as { retentionSeconds: number }).retentionSeconds, 14 * 86400)
      value(await service.dispatch('removeRelay', { address: PUBLISHED }))
      value(await service.dispatch('updateSettings', { excludedJurisdictions: ['DE'] }))
      const refused = await service.dispatch('addRelay', { address: PUBLISHED })
      assert.deepEqual(refused, { ok: false, error: { name: 'ExcludedJurisdictionError', message: 'the relay is in DE, a jurisdiction you excluded' } })
      assert.deepEqual((value(await service.dispatch('relays', undefined)) as Array<{ address: string }>).map(r => r.address), [RELAY])
      await service.stop()

      // The messenger keeps its relays: the next start does not hand them over again.
      const again = createDesktopService({ dataDir: dir, createMessenger: factory, passphrase: 'correct horse battery' })
      await again.start()
      assert.equal(created[1]!.options.relays, undefined)
      await again.stop()
    } finally {
      PUBLISHED_RELAYS.delete(PUBLISHED)
    }
  })

  it('stops once, refuses calls while stopping, and builds notifications by preference', async () => {
    const { factory, created } = memoryFactory()
    const service = createDesktopService({ dataDir: dir, createMessenger: factory, passphrase: 'correct horse battery' })
    await service.start()
    value(await service.dispatch('setup', { name: 'Ada', relays: [] }))
    const m = created[0]!
    const bob = m.seedContact('Bob')
    const msg = m.receive(bob.id, 'the secret plan')
    const view = messageView(msg)
    assert.deepEqual(await service.notificationFor(view), { title: 'Sotto', body: 'New message' })
    value(await service.dispatch('updateSettings', { notificationPreview: 'name' }))
    assert.deepEqual(await service.notificationFor(view), { title: 'Bob', body: 'New message' })
    assert.deepEqual(await service.notificationFor({ ...view, contactId: `guest-${'0'.repeat(32)}` }), { title: 'A guest', body: 'New message' })
    value(await service.dispatch('updateSettings', { notificationPreview: 'name-and-text' }))
    assert.deepEqual(await service.notificationFor(view), { title: 'Bob', body: 'the secret plan' })
    value(await service.dispatch('updateSettings', { notifications: false }))
    assert.equal(await service.notificationFor(view), undefined)

    const stopped = nextEvent(service, 'app', s => s.phase === 'stopped')
    const first = service.stop()
    assert.equal(service.stop(), first)
    assert.equal(errorName(await service.dispatch('contacts', undefined)), 'NotReadyError')
    await first
    await stopped
    assert.equal(m.stopped, true)
  })
})
