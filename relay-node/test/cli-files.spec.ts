// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Files with the `sotto` CLI against a real relay process: `run`'s `send-file` and `save` commands
 * with `message` and `progress` events, then one-shot `send-file` to a contact that is offline
 * (through its relay), `save` and `history`.
 */
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { removeDir, startRelay, tempDir } from './helpers.js'
import { SottoRun, sotto } from './sotto-cli.js'
import type { RelayProcess } from './helpers.js'

const LOCAL = ['--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns']

async function randomFile (path: string, size: number): Promise<string> {
  const bytes = randomBytes(size)
  await writeFile(path, bytes)
  return createHash('sha256').update(bytes).digest('hex')
}

describe('sotto CLI: files', () => {
  let relay: RelayProcess
  let dir: string
  const runs: SottoRun[] = []

  before(async () => {
    relay = await startRelay()
    dir = await tempDir('sotto-cli-files-')
  })

  after(async () => {
    await Promise.allSettled(runs.map(async r => r.kill()))
    await relay?.stop()
    if (dir != null) await removeDir(dir)
  })

  it('run sends and saves a file with progress events; one-shot send-file, save and history do too', { timeout: 180_000 }, async () => {
    const alice = join(dir, 'alice')
    const bob = join(dir, 'bob')
    await sotto(['--data', alice, 'init', '--name', 'Alice', '--relay', relay.tcp, ...LOCAL], 'alice passphrase')
    await sotto(['--data', bob, 'init', '--name', 'Bob', '--relay', relay.tcp, ...LOCAL], 'bob passphrase')
    const a = await SottoRun.start(alice, 'alice passphrase')
    const b = await SottoRun.start(bob, 'bob passphrase')
    runs.push(a, b)
    const { invite } = await a.command({ cmd: 'invite' }) as { invite: string }
    const aliceAtBob = (await b.command({ cmd: 'add', invite }) as { contact: string }).contact
    const request = await a.next(e => e.event === 'request')
    const bobAtAlice = request.contact as string
    await a.command({ cmd: 'accept', contact: bobAtAlice })

    const photo = join(dir, 'photo.bin')
    const sha256 = await randomFile(photo, 1024 * 1024 + 5)
    const sent = await b.command({ cmd: 'send-file', to: aliceAtBob, path: photo }) as { id: string, state: string }
    assert.deepEqual(Object.keys(sent).sort(), ['file', 'id', 'state'])
    const shown = await a.next(e => e.event === 'message' && e.id === sent.id)
    assert.deepEqual(shown.file, { name: 'photo.bin', size: 1024 * 1024 + 5, mime: 'application/octet-stream', state: 'waiting' })
    const last = await a.next(e => e.event === 'progress' && e.id === sent.id && e.state === 'done')
    assert.deepEqual({ bytes: last.bytes, total: last.total }, { bytes: 1024 * 1024 + 5, total: 1024 * 1024 + 5 })
    const saved = await a.command({ cmd: 'save', id: sent.id, path: join(dir, 'photo-saved.bin') })
    assert.deepEqual(saved, { path: join(dir, 'photo-saved.bin'), size: 1024 * 1024 + 5, sha256 })

    // Alice goes offline: Bob's next file waits for her at her relay.
    assert.equal(await a.stop(), 0)
    assert.equal(await b.stop(), 0)
    const doc = join(dir, 'notes.pdf')
    const docHash = await randomFile(doc, 300 * 1024)
    const [oneShot] = await sotto(['--data', bob, 'send-file', aliceAtBob, doc, '--timeout', '15', '--no-mdns'], 'bob passphrase')
    assert.deepEqual({ state: oneShot?.state, file: oneShot?.file }, { state: 'sent', file: 'done' })
    const [fetched] = await sotto(['--data', alice, 'save', oneShot?.id as string, join(dir, 'notes-saved.pdf'), '--timeout', '60', '--no-mdns'], 'alice passphrase')
    assert.deepEqual(fetched, { path: join(dir, 'notes-saved.pdf'), size: 300 * 1024, sha256: docHash })
    const lines = await sotto(['--data', alice, 'history', bobAtAlice, '--no-mdns'], 'alice passphrase')
    assert.deepEqual(lines.map(l => (l.file as { name: string } | undefined)?.name), ['photo.bin', 'notes.pdf'])
    assert.deepEqual((lines[1]?.file as Record<string, unknown>), { name: 'notes.pdf', size: 300 * 1024, mime: 'application/pdf', state: 'done' })
  })
})
