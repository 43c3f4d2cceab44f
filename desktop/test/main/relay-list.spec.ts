// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { coreLinkReader } from '../../src/main/core-loader.js'
import { createDesktopService } from '../../src/main/desktop-service.js'
import { readRelayLists } from '../../src/main/relay-list.js'
import { memoryFactory } from '../fixtures/memory-messenger.js'
import { tempDir } from '../fixtures/helpers.js'

const A = '/ip4/192.0.2.7/tcp/4001/p2p/12D3KooWGE8Fj24EPMF35MWsCNBfqiHpC5aGRRKjyQKQyzR9HbQi'
const B = '/dns4/relay.example.org/tcp/443/wss/p2p/12D3KooWALnGwCss6o2r63fvYtTtK44NGisYFZWbRQhjAq87NPWs'

describe('relay lists shipped by a distributor', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => { for (const c of cleanups.splice(0)) await c() })
  const dir = async (): Promise<string> => {
    const t = await tempDir('sotto-relay-list-')
    cleanups.push(t.cleanup)
    return t.dir
  }

  it('reads relays.txt and relays.json, skipping comments, malformed entries and repeats', async () => {
    const [beside, data] = [await dir(), await dir()]
    await writeFile(join(beside, 'relays.txt'), [
      '# Relays of the Example community',
      '',
      `sotto://relay${A}?operator=Example+Collective&jurisdiction=IS&code=join-me`,
      'sotto://relay/not/a/relay',
      '/ip4/192.0.2.1/tcp/1/p2p/raw-multiaddrs-are-not-links',
      `  sotto://relay${A}?operator=Again  `
    ].join('\r\n'))
    await writeFile(join(data, 'relays.json'), JSON.stringify([`sotto://relay${B}?operator=Second&jurisdiction=CH`, 'javascript:alert(1)']))
    const warnings: string[] = []
    const log = { warn: (msg: string) => { warnings.push(msg) }, info: () => {}, debug: () => {}, error: () => {}, trace: () => {} }
    const relays = await readRelayLists([beside, data], coreLinkReader(), log as never)
    assert.deepEqual(relays, [
      { address: A, operator: 'Example Collective', jurisdiction: 'IS', code: 'join-me' },
      { address: B, operator: 'Second', jurisdiction: 'CH' }
    ])
    assert.deepEqual(warnings, ['skipped malformed entries of a relay list', 'skipped malformed entries of a relay list'])
  })

  it('ignores a JSON list that is not an array of links, and a missing file', async () => {
    const data = await dir()
    await writeFile(join(data, 'relays.json'), '{"relays": []}')
    assert.deepEqual(await readRelayLists([data, join(data, 'nowhere')], coreLinkReader()), [])
  })

  it('are offered in onboarding, with their join codes, after the relays of the environment', async () => {
    const data = await dir()
    await writeFile(join(data, 'relays.txt'), `sotto://relay${A}?operator=Example+Collective&jurisdiction=IS&code=join-me\n`)
    const service = createDesktopService({ dataDir: data, createMessenger: memoryFactory().factory, passphrase: 'correct horse battery', defaultRelays: [{ address: B }] })
    cleanups.push(async () => { await service.stop() })
    const status = await service.start()
    assert.equal(status.phase, 'setup')
    assert.deepEqual(status.defaultRelays.map(r => [r.address, r.operator, r.joinCode]), [[B, undefined, undefined], [A, 'Example Collective', 'join-me']])
  })
})
