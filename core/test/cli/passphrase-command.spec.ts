// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { tempDir } from '../messenger/helpers.js'
import { rawEntries } from '../storage/fixtures/support.js'
import { freePort, sotto, sottoWith } from './cli-process.js'

const OLD = 'the old passphrase'
const NEW = 'the brand new passphrase'

/** A digest of every raw key and value of the database: level reorganises its files on open. */
async function files (dir: string): Promise<string> {
  return createHash('sha256').update(JSON.stringify(await rawEntries(dir))).digest('hex')
}

describe('sotto passphrase', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let peerId: unknown

  before(async () => {
    ({ dir, cleanup } = await tempDir())
    const [init] = await sotto(['--data', dir, 'init', '--name', 'Alice', '--listen', `/ip4/127.0.0.1/tcp/${await freePort()}`, '--no-mdns'], OLD)
    peerId = init?.peerId
  })
  after(async () => { await cleanup() })

  it('refuses a wrong current passphrase with WrongPassphraseError, writing nothing', async () => {
    const before = await files(dir)
    const { code, err } = await sottoWith(['--data', dir, 'passphrase'], 'not the passphrase', { SOTTO_NEW_PASSPHRASE: NEW })
    assert.equal(code, 1)
    assert.match(err, /^WrongPassphraseError: /m)
    assert.equal(await files(dir), before)
  })

  it('refuses a new passphrase that breaks the rule with WeakPassphraseError, writing nothing', async () => {
    const before = await files(dir)
    const { code, err } = await sottoWith(['--data', dir, 'passphrase'], OLD, { SOTTO_NEW_PASSPHRASE: 'short' })
    assert.equal(code, 1)
    assert.match(err, /^WeakPassphraseError: a new passphrase needs at least 8 characters$/m)
    assert.equal(await files(dir), before)
  })

  it('changes it: the old passphrase is refused, the new one opens the same identity', async () => {
    const { code, out } = await sottoWith(['--data', dir, 'passphrase'], OLD, { SOTTO_NEW_PASSPHRASE: NEW })
    assert.equal(code, 0)
    assert.deepEqual(JSON.parse(out), { changed: true })
    const refused = await sottoWith(['--data', dir, 'contacts', '--no-mdns'], OLD)
    assert.equal(refused.code, 1)
    assert.match(refused.err, /^WrongPassphraseError: /m)
    const [identity] = await sotto(['--data', dir, 'init', '--no-mdns'], NEW)
    assert.equal(identity?.peerId, peerId)
  })
})
