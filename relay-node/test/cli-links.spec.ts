// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The `sotto` CLI with short links, QR images and relay links, against a real relay process:
 * `invite --qr`, `add --qr`, `relays add <relay link>`, `invite --new`.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { readQrPng } from '@sotto/core/links'
import { removeDir, startRelay, tempDir } from './helpers.js'
import { sotto, sottoRaw } from './sotto-cli.js'
import type { RelayProcess } from './helpers.js'

const LOCAL = ['--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns']

describe('sotto CLI: short links, QR images, relay links', () => {
  let relay: RelayProcess
  let dir: string
  let relayLink: string

  before(async () => {
    relay = await startRelay()
    relayLink = (await relay.waitFor(l => l.msg === 'listening')).link as string
    dir = await tempDir('sotto-cli-links-')
  })

  after(async () => {
    await relay?.stop()
    if (dir != null) await removeDir(dir)
  })

  it('invite --qr writes the short link\'s QR; add --qr adds its owner; invite --new revokes it', async () => {
    const alice = join(dir, 'alice')
    const bob = join(dir, 'bob')
    const [made] = await sotto(['--data', alice, 'init', '--name', 'Alice', '--relay', relay.tcp, ...LOCAL], 'alice passphrase')
    assert.match(made?.short as string, /^sotto:\/\/s\//, 'init prints the short link once its relay is ready')
    const png = join(dir, 'alice.png')
    const [printed] = await sotto(['--data', alice, 'invite', '--qr', png, '--no-mdns'], 'alice passphrase')
    const short = printed?.short as string
    assert.match(printed?.invite as string, /^sotto:\/\/invite\//)
    assert.ok(short.startsWith('sotto://s/') && short.length <= 200, short)
    assert.deepEqual(printed?.qr, { file: png, version: (printed?.qr as { version: number }).version })
    assert.ok((printed?.qr as { version: number }).version <= 10)
    assert.equal(await readQrPng(png), short)

    await sotto(['--data', bob, 'init', '--name', 'Bob', ...LOCAL], 'bob passphrase')
    const [relayLine] = await sotto(['--data', bob, 'relays', 'add', relayLink, '--no-mdns'], 'bob passphrase')
    assert.equal(relayLine?.addr, relay.tcp)
    const [added] = await sotto(['--data', bob, 'add', '--qr', png, '--no-mdns'], 'bob passphrase')
    assert.equal(added?.name, 'Alice')

    const [renewed] = await sotto(['--data', alice, 'invite', '--new', '--no-mdns'], 'alice passphrase')
    assert.ok(typeof renewed?.short === 'string' && renewed.short !== short)
    const refused = await sottoRaw(['--data', bob, 'add', short, '--no-mdns'], 'bob passphrase')
    assert.notEqual(refused.code, 0)
    assert.match(refused.err, /InviteLinkRevokedError/)
  })
})
