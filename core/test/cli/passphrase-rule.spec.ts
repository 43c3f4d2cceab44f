// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { runCli } from '../../src/cli/commands.js'
import { openStore } from '../../src/storage/index.js'
import { tempDir } from '../messenger/helpers.js'
import { sottoFails } from './cli-process.js'
import { fakeMessenger } from './fake-messenger.js'
import type { CliIo } from '../../src/cli/commands.js'

describe('sotto: the passphrase rule', () => {
  const dirs: Array<{ dir: string, cleanup(): Promise<void> }> = []
  before(async () => { for (let i = 0; i < 3; i++) dirs.push(await tempDir()) })
  after(async () => { for (const d of dirs) await d.cleanup() })

  /** Runs a command line on a fake messenger; answers whether the messenger was opened. */
  async function opens (dir: string, argv: string[], passphrase: string): Promise<boolean> {
    let opened = false
    const io: CliIo = { out: () => {}, err: () => {}, input: new PassThrough() }
    await runCli(['--data', dir, ...argv], { SOTTO_PASSPHRASE: passphrase }, io, async () => { opened = true; return fakeMessenger().messenger })
    return opened
  }

  it('refuses a 1-character passphrase at init, as a process, creating nothing', async () => {
    const { code, stderr } = await sottoFails(['--data', dirs[0]!.dir, 'init', '--name', 'Short', '--no-mdns'], 'x')
    assert.equal(code, 1)
    assert.match(stderr, /^WeakPassphraseError: a new passphrase needs at least 8 characters$/m)
    assert.equal(await opens(dirs[0]!.dir, ['contacts'], 'a good passphrase'), true, 'the directory was left new')
  })

  it('refuses a short passphrase for any command that would make a new data directory', async () => {
    await assert.rejects(opens(dirs[1]!.dir, ['contacts'], '1234567'), { name: 'WeakPassphraseError' })
    assert.equal(await opens(dirs[1]!.dir, ['init'], '12345678'), true)
  })

  it('still opens a data directory made with a shorter passphrase before the rule', async () => {
    const store = await openStore({ dir: dirs[2]!.dir, keySource: { kind: 'passphrase', passphrase: 'x' }, scryptLogN: 10 })
    await store.close()
    assert.equal(await opens(dirs[2]!.dir, ['contacts'], 'x'), true)
    await assert.rejects(opens(dirs[2]!.dir, ['init'], 'x'), { name: 'WeakPassphraseError' })
  })
})
