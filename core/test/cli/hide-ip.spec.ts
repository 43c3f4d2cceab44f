// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The hide-IP setting on the command line: `init --hide-ip` opens the node hidden and stores the
 * setting, `settings hide-ip on|off` changes it, `settings` prints `"hideIp"`.
 */
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { dispatchLine, runCli } from '../../src/cli/commands.js'
import { tempDir } from '../messenger/helpers.js'
import { fakeMessenger } from './fake-messenger.js'
import type { CliIo } from '../../src/cli/commands.js'
import type { MessengerOptions } from '../../src/messenger/index.js'

const PASSPHRASE = 'a test passphrase'

describe('sotto: hiding the IP address', () => {
  let dir: { dir: string, cleanup(): Promise<void> }
  before(async () => { dir = await tempDir() })
  after(async () => { await dir.cleanup() })

  /** Runs a command line on `fake`; answers what it printed and the options the messenger was opened with. */
  async function viaArgv (argv: string[], fake = fakeMessenger()): Promise<{ lines: Array<Record<string, unknown>>, opened: Partial<MessengerOptions> }> {
    let out = ''
    let opened: Partial<MessengerOptions> = {}
    const io: CliIo = { out: t => { out += t }, err: () => {}, input: new PassThrough() }
    const code = await runCli(['--data', dir.dir, ...argv], { SOTTO_PASSPHRASE: PASSPHRASE }, io, async options => { opened = options; return fake.messenger })
    assert.equal(code, 0)
    return { lines: out.split('\n').filter(l => l !== '').map(l => JSON.parse(l) as Record<string, unknown>), opened }
  }

  it('turns it on and off, prints it in the settings, and refuses anything but on or off', async () => {
    const fake = fakeMessenger()
    assert.equal((await dispatchLine(fake.messenger, '{"cmd":"settings","hide-ip":"on"}')).event, 'result')
    assert.deepEqual(fake.calls.at(-1), { method: 'updateSettings', args: [{ hideIp: true }] })
    assert.equal((await viaArgv(['settings'], fake)).lines[0]?.hideIp, true, 'settings prints "hideIp"')
    await viaArgv(['settings', 'hide-ip', 'off'], fake)
    assert.equal((await viaArgv(['settings'], fake)).lines[0]?.hideIp, false)
    await assert.rejects(viaArgv(['settings', 'hide-ip', 'maybe']), { name: 'InvalidInputError', message: 'hide-ip is on or off' })
  })

  it('init --hide-ip opens the node hidden from the start and stores the setting', async () => {
    const fake = fakeMessenger()
    const { opened } = await viaArgv(['init', '--hide-ip'], fake)
    assert.equal(opened.hideIp, true)
    assert.ok(fake.calls.some(c => c.method === 'updateSettings' && JSON.stringify(c.args) === '[{"hideIp":true}]'))
    const plain = await viaArgv(['init'])
    assert.equal(plain.opened.hideIp, undefined, 'not without the flag')
  })
})
