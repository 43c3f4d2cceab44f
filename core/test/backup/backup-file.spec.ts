// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { openBackup, sealBackup } from '../../src/backup/index.js'

const PASSPHRASE = 'correct horse battery staple'

/** A file of the layout in docs/PROTOCOL.md (Backup file): payload `{"format":1}`, log2 N = 10. */
const VECTOR = '736f74746f2d6261636b757001010a0801f6171cd02891fe2cc7f3f023b101569ec3648aaccb6326a3ff65216b560d64f03ab1c51000f5bd4233f2b6a7992ec94f7e60a21f2d3ae004'

const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'))
const text = (b: Uint8Array): string => new TextDecoder().decode(b)

describe('backup file', () => {
  it('opens the vector of the specification', async () => {
    assert.equal(text(await openBackup(bytes(VECTOR), PASSPHRASE)), '{"format":1}')
    // The same passphrase composed otherwise (NFKC) opens it too.
    assert.equal(text(await openBackup(bytes(VECTOR), PASSPHRASE.normalize('NFD'))), '{"format":1}')
  })

  it('seals and opens any payload, each file with its own salt and nonce', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async payload => {
      const file = await sealBackup(payload, PASSPHRASE, { scryptLogN: 10 })
      assert.deepEqual(await openBackup(file, PASSPHRASE), payload)
    }), { numRuns: 20 })
    const a = await sealBackup(new Uint8Array(4), PASSPHRASE, { scryptLogN: 10 })
    const b = await sealBackup(new Uint8Array(4), PASSPHRASE, { scryptLogN: 10 })
    assert.notDeepEqual(a, b)
  })

  it('refuses a wrong recovery passphrase with WrongBackupPassphraseError', async () => {
    await assert.rejects(openBackup(bytes(VECTOR), 'correct horse battery stapler'), { name: 'WrongBackupPassphraseError' })
  })

  it('refuses every altered byte: the header is authenticated with the payload', async () => {
    const file = bytes(VECTOR)
    for (let i = 12; i < file.length; i++) {
      const altered = file.slice()
      altered[i] = (altered[i] as number) ^ 0x01
      await assert.rejects(openBackup(altered, PASSPHRASE), (err: Error) => ['WrongBackupPassphraseError', 'BackupFormatError', 'UnsupportedBackupVersionError'].includes(err.name), `byte ${i}`)
    }
  })

  it('names what is not a backup, and a backup of a newer format', async () => {
    await assert.rejects(openBackup(new TextEncoder().encode('not a backup at all, not even close to one'), PASSPHRASE), { name: 'BackupFormatError' })
    await assert.rejects(openBackup(bytes(VECTOR).subarray(0, 40), PASSPHRASE), { name: 'BackupFormatError' })
    const newer = bytes(VECTOR)
    newer[12] = 2
    await assert.rejects(openBackup(newer, PASSPHRASE), { name: 'UnsupportedBackupVersionError' })
    const costly = bytes(VECTOR)
    costly[14] = 30
    await assert.rejects(openBackup(costly, PASSPHRASE), { name: 'BackupFormatError' })
  })
})
