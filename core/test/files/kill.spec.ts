// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A 50 MiB transfer across a kill -9 of the sender, then of the recipient, each in its own
 * process: the transfer resumes from the recipient's persisted bitmap, the sender sends only the
 * chunks the recipient lacked, and the file arrives identical.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import { ChunkStore, fetchFile, handleFiles, sealToStore } from '../../src/files/index.js'
import { countingSource, fileNode, plaintextAt, plaintextHash, quietLog, removeDirs, storedHash, tempDir } from './helpers.js'
import type { ChildProcess } from 'node:child_process'
import type { FileSecrets } from '../../src/files/index.js'
import type { Libp2p } from '@libp2p/interface'

const SIZE = 50 * 1024 * 1024
const CHILD = fileURLToPath(new URL('./child.js', import.meta.url))

interface Child {
  proc: ChildProcess
  /** Resolves with the first line (past or future) matching `pred`. */
  waitFor(pred: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>
  lines: Array<Record<string, unknown>>
  kill9(): Promise<void>
}

function child (...args: string[]): Child {
  const proc = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines: Array<Record<string, unknown>> = []
  const waiters: Array<{ pred: (l: Record<string, unknown>) => boolean, resolve(l: Record<string, unknown>): void }> = []
  const exited = new Promise<void>(resolve => { proc.on('exit', () => { resolve() }) })
  createInterface({ input: proc.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>
    lines.push(line)
    for (const w of [...waiters]) {
      if (w.pred(line)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(line)
      }
    }
  })
  return {
    proc,
    lines,
    waitFor: async (pred) => {
      const seen = lines.find(pred)
      if (seen != null) return seen
      return new Promise((resolve, reject) => {
        waiters.push({ pred, resolve })
        void exited.then(() => { reject(new Error('the child exited first')) })
      })
    },
    kill9: async () => {
      proc.kill('SIGKILL')
      await exited
    }
  }
}

function secretsJson (s: FileSecrets): string {
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
  return JSON.stringify({ id: hex(s.id), key: hex(s.key), size: s.size, chunkSize: s.chunkSize, root: hex(s.root) })
}

async function heldAt (dir: string): Promise<{ held: number, count: number }> {
  const store = await ChunkStore.open(dir)
  assert.ok(store != null, 'the recipient kept a chunk store')
  const out = { held: store.heldCount, count: store.count }
  await store.close()
  return out
}

describe('file protocol: kill -9 of either side', () => {
  let dir: string
  let secrets: FileSecrets
  let expected: string
  let node: Libp2p
  const children: Child[] = []

  before(async () => {
    dir = await tempDir()
    const sealed = await sealToStore(join(dir, 'sent'), SIZE, async (o, l) => plaintextAt(o, l))
    await sealed.store.close()
    secrets = sealed.secrets
    expected = plaintextHash(SIZE)
    node = await fileNode()
  })

  after(async () => {
    for (const c of children) if (c.proc.exitCode == null && c.proc.signalCode == null) await c.kill9()
    await node?.stop()
    await removeDirs(dir)
  })

  it('resumes after the sender is killed, sending only what was missing', { timeout: 300_000 }, async () => {
    const into = join(dir, 'after-sender-kill')
    const first = child('serve', join(dir, 'sent'))
    children.push(first)
    const addr = (await first.waitFor(l => l.addr != null)).addr as string
    let killing: Promise<void> | undefined
    await assert.rejects(fetchFile(node, multiaddr(addr), secrets, into, {
      onProgress: (held, count) => { if (held >= count / 3) killing ??= first.kill9() }
    }))
    await killing
    const { held, count } = await heldAt(into)
    assert.ok(held >= count / 3 && held < count, `held ${held} of ${count}`)
    const second = child('serve', join(dir, 'sent'))
    children.push(second)
    const addr2 = (await second.waitFor(l => l.addr != null)).addr as string
    await fetchFile(node, multiaddr(addr2), secrets, into)
    await second.waitFor(l => l.served === count - held)
    assert.equal(second.lines.filter(l => l.served != null).length, count - held)
    assert.equal(await storedHash(into, secrets), expected)
  })

  it('resumes after the recipient is killed, from its persisted bitmap', { timeout: 300_000 }, async () => {
    const into = join(dir, 'after-recipient-kill')
    let served = 0
    await handleFiles(node, countingSource(join(dir, 'sent'), () => { served++ }), quietLog)
    const recipient = child('fetch', into, node.getMultiaddrs()[0]!.toString(), secretsJson(secrets))
    children.push(recipient)
    const line = await recipient.waitFor(l => typeof l.held === 'number' && (l.held as number) >= (l.count as number) / 3)
    await recipient.kill9()
    const { held, count } = await heldAt(into)
    assert.ok(held >= (line.held as number) && held < count, `held ${held} of ${count}`)
    const receiver = await fileNode()
    try {
      served = 0
      await fetchFile(receiver, node.getMultiaddrs()[0]!, secrets, into)
      assert.equal(served, count - held, 'the sender sent exactly the chunks the recipient lacked')
    } finally {
      await receiver.stop()
    }
    assert.equal(await storedHash(into, secrets), expected)
  })
})
