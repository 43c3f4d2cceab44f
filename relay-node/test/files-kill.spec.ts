// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A 50 MiB file from one `sotto run` to another that is offline, through `sotto-relay`, across a
 * kill -9 of the sender while it uploads, of the recipient while it downloads, then of the relay:
 * each transfer resumes where it stopped (from the relay's and the recipient's bitmaps) and the
 * file arrives identical.
 */
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import { removeDir, startRelay, tempDir } from './helpers.js'
import { SottoRun, sotto } from './sotto-cli.js'
import type { RelayProcess } from './helpers.js'

const MiB = 1024 * 1024
const SIZE = 50 * MiB
const LOCAL = ['--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns']

type Event = Record<string, unknown>

/** Progress of file `id` with at least `bytes` moved. */
const progressed = (id: string, bytes: number) => (e: Event): boolean => e.event === 'progress' && e.id === id && (e.bytes as number) >= bytes

describe('a 50 MiB file across kill -9 of the sender, the recipient and the relay', () => {
  let relay: RelayProcess
  let dir: string
  const runs: SottoRun[] = []

  before(async () => {
    relay = await startRelay()
    dir = await tempDir('sotto-files-kill-')
  })

  after(async () => {
    await Promise.allSettled(runs.map(async r => r.kill()))
    if (relay?.proc.exitCode == null) await relay?.kill9()
    await removeDir(relay?.dataDir ?? '')
    if (dir != null) await removeDir(dir)
  })

  async function run (data: string, passphrase: string): Promise<SottoRun> {
    const r = await SottoRun.start(data, passphrase)
    runs.push(r)
    return r
  }

  it('resumes each time and arrives identical', { timeout: 300_000 }, async () => {
    const alice = join(dir, 'alice')
    const bob = join(dir, 'bob')
    await sotto(['--data', alice, 'init', '--name', 'Alice', '--relay', relay.tcp, ...LOCAL], 'alice passphrase')
    await sotto(['--data', bob, 'init', '--name', 'Bob', '--relay', relay.tcp, ...LOCAL], 'bob passphrase')
    let a = await run(alice, 'alice passphrase')
    let b = await run(bob, 'bob passphrase')
    const { invite } = await a.command({ cmd: 'invite' }) as { invite: string }
    const aliceAtBob = (await b.command({ cmd: 'add', invite }) as { contact: string }).contact
    await a.command({ cmd: 'accept', contact: (await a.next(e => e.event === 'request')).contact })
    await b.next(e => e.event === 'contact' && e.contact === aliceAtBob && (e.mailboxes as number) > 0)
    assert.equal(await b.stop(), 0)

    const path = join(dir, 'big.bin')
    const bytes = randomBytes(SIZE)
    await writeFile(path, bytes)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const bobAtAlice = ((await a.command({ cmd: 'contacts' })) as Array<{ contact: string }>)[0]!.contact
    const { id } = await a.command({ cmd: 'send-file', to: bobAtAlice, path }) as { id: string }

    // The sender dies uploading, and uploads only the rest when it comes back.
    await a.next(progressed(id, 4 * MiB), 120_000)
    await a.kill()
    a = await run(alice, 'alice passphrase')
    const resumedUpload = await a.next(e => e.event === 'progress' && e.id === id, 120_000)
    assert.ok((resumedUpload.bytes as number) > 0 && (resumedUpload.bytes as number) < SIZE, `the upload resumed at ${String(resumedUpload.bytes)} bytes`)
    await a.next(e => e.event === 'progress' && e.id === id && e.state === 'done', 120_000)

    // The recipient dies downloading, and fetches only the rest.
    b = await run(bob, 'bob passphrase')
    // Over the automatic download size: fetched because it is saved (this save dies with Bob).
    const firstSave = b.command({ cmd: 'save', id, path: join(dir, 'big-saved.bin') }).catch(() => undefined)
    await b.next(progressed(id, 4 * MiB), 120_000)
    await b.kill()
    b = await run(bob, 'bob passphrase')
    const resumedDownload = await b.next(e => e.event === 'progress' && e.id === id && e.state === 'transferring' && (e.bytes as number) > 0, 120_000)
    assert.ok((resumedDownload.bytes as number) < SIZE)

    // Then the relay dies under it, and comes back on the same address.
    const seen = b.events.filter(e => e.event === 'progress' && e.id === id).length
    await b.next(e => e.event === 'progress' && e.id === id && b.events.filter(x => x.event === 'progress' && x.id === id).length > seen, 120_000)
    await relay.kill9()
    assert.ok(!b.events.some(e => e.event === 'progress' && e.id === id && e.state === 'done'), 'the relay died before the download ended')
    const port = multiaddr(relay.tcp).getComponents().find(c => c.name === 'tcp')?.value
    relay = await startRelay({ dataDir: relay.dataDir, args: ['--listen', `/ip4/127.0.0.1/tcp/${String(port)}`] })
    await b.next(e => e.event === 'progress' && e.id === id && e.state === 'done', 180_000)
    assert.equal(await firstSave, undefined)
    const saved = await b.command({ cmd: 'save', id, path: join(dir, 'big-saved.bin') }) as { sha256: string, size: number }
    assert.deepEqual({ size: saved.size, sha256: saved.sha256 }, { size: SIZE, sha256 })
  })
})
