// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { openStore } from '../../src/storage/index.js'
import { passphrase, tempDir, TEST_LOG_N, text, utf8 } from './fixtures/support.js'

async function allFiles (dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...await allFiles(path))
    else out.push(path)
  }
  return out
}

describe('data at rest', () => {
  let dir: string
  let remove: () => Promise<void>

  beforeEach(async () => {
    ({ dir, remove } = await tempDir())
  })

  afterEach(async () => {
    await remove()
  })

  it('reveals no value, no string key part and no passphrase in any file of the directory', async () => {
    const secret = 'PassphraseMarker-8c1f'
    const peers = Array.from({ length: 20 }, (_, i) => `12D3KooWPeerMarker${i}xq`)
    const messages = Array.from({ length: 20 }, (_, i) => `MessageMarker ${i}: meet me at the usual place`)
    let store = await openStore({ dir, keySource: passphrase(secret), scryptLogN: TEST_LOG_N })
    for (let round = 0; round < 2; round++) {
      const tx = store.transaction()
      peers.forEach((peer, i) => {
        tx.put(['plainspace', peer, round], utf8(messages[i] ?? ''))
        tx.put(['contact', peer], utf8(`ContactMarker ${peer}`))
      })
      await tx.commit()
      // Reopening moves the write-ahead log into a table file: both kinds get checked.
      await store.close()
      store = await openStore({ dir, keySource: passphrase(secret), scryptLogN: TEST_LOG_N })
    }
    assert.equal(text(await store.get(['plainspace', peers[3] ?? '', 1])), messages[3])
    await store.close()

    const files = await allFiles(dir)
    assert.ok(files.some(f => f.endsWith('.ldb')) && files.some(f => f.endsWith('.log')), files.join(', '))
    const contents = await Promise.all(files.map(async f => ({ f, bytes: await readFile(f) })))
    // The space name is stored plain by design: finding it shows the scan sees the data.
    assert.ok(contents.some(({ bytes }) => bytes.includes('plainspace')), 'the scan found nothing at all')
    for (const marker of [secret, 'PeerMarker', 'MessageMarker', 'ContactMarker', 'usual place', ...peers]) {
      for (const { f, bytes } of contents) {
        assert.equal(bytes.includes(Buffer.from(marker, 'utf8')), false, `${marker} appears in ${f}`)
      }
    }
  })
})
