// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { tempDir } from '../messenger/helpers.js'
import { freePort, sotto, sottoWith } from './cli-process.js'

const PASS = 'the passphrase of Alice'
const RECOVERY = 'the recovery passphrase'

describe('sotto backup', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let peerId: unknown
  let file: string

  before(async () => {
    ({ dir, cleanup } = await tempDir())
    const [init] = await sotto(['--data', join(dir, 'alice'), 'init', '--name', 'Alice', '--listen', `/ip4/127.0.0.1/tcp/${await freePort()}`, '--no-mdns'], PASS)
    peerId = init?.peerId
    file = join(dir, 'alice.sotto-backup')
  })
  after(async () => { await cleanup() })

  it('exports one file, private to the user, and will not write over another', async () => {
    const { code, out } = await sottoWith(['--data', join(dir, 'alice'), 'backup', 'export', file, '--no-history'], PASS, { SOTTO_BACKUP_PASSPHRASE: RECOVERY })
    assert.equal(code, 0)
    const answer = JSON.parse(out) as { file: string, history: boolean, bytes: number }
    assert.deepEqual({ ...answer, bytes: undefined }, { file, history: false, bytes: undefined })
    assert.equal((await stat(file)).size, answer.bytes)
    assert.equal((await stat(file)).mode & 0o077, 0)
    const again = await sottoWith(['--data', join(dir, 'alice'), 'backup', 'export', file], PASS, { SOTTO_BACKUP_PASSPHRASE: RECOVERY })
    assert.equal(again.code, 1)
    assert.match(again.err, /^InvalidInputError: .* exists already/m)
  })

  it('refuses a wrong recovery passphrase with WrongBackupPassphraseError and writes nothing', async () => {
    const target = join(dir, 'wrong')
    const { code, err } = await sottoWith(['--data', target, 'backup', 'restore', file], PASS, { SOTTO_BACKUP_PASSPHRASE: 'not the recovery passphrase' })
    assert.equal(code, 1)
    assert.match(err, /^WrongBackupPassphraseError: /m)
    await assert.rejects(stat(target), { code: 'ENOENT' })
  })

  it('restores into a new data directory only, as the next installation with a new PeerId', async () => {
    const taken = join(dir, 'taken')
    await sottoWith(['--data', taken, 'backup', 'restore', file], PASS, { SOTTO_BACKUP_PASSPHRASE: RECOVERY })
    await writeFile(join(dir, 'taken', 'note'), 'x')
    const refused = await sottoWith(['--data', taken, 'backup', 'restore', file], PASS, { SOTTO_BACKUP_PASSPHRASE: RECOVERY })
    assert.match(refused.err, /^DataDirectoryNotEmptyError: /m)

    const target = join(dir, 'restored')
    const { code, out } = await sottoWith(['--data', target, 'backup', 'restore', file], 'the new passphrase', { SOTTO_BACKUP_PASSPHRASE: RECOVERY })
    assert.equal(code, 0)
    assert.deepEqual({ ...JSON.parse(out) as object, userId: undefined }, { restored: true, userId: undefined, installation: 2, contacts: 0, messages: 0 })
    assert.ok((await readdir(target)).includes('db'))
    const [identity] = await sotto(['--data', target, 'init', '--no-mdns', '--listen', `/ip4/127.0.0.1/tcp/${await freePort()}`], 'the new passphrase')
    assert.notEqual(identity?.peerId, undefined)
    assert.notEqual(identity?.peerId, peerId)
  })
})
