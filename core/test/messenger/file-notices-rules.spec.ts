// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The rules of file notices as the inbox applies them: a notice changes only a file of the
 * conversation it came from, in the direction it names, and never one that is settled for it.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { applyFileNotice } from '../../src/messenger/file-notices.js'
import { fromHex } from '../../src/util/index.js'
import type { ContentFileNotice } from '../../src/protocol/types.js'
import type { ContactRecord, MessageRecord } from '../../src/messenger/records.js'
import type { FileState } from '../../src/messenger/types.js'
import type { Transaction } from '../../src/storage/types.js'

const ID = 'ab'.repeat(16)
const tx = {} as Transaction

function fileMessage (direction: 'in' | 'out', state: FileState, reason?: 'size' | 'request' | 'held' | 'sender', contactId = 'alice'): MessageRecord {
  return {
    id: ID,
    contactId,
    direction,
    text: '',
    sentAt: 1,
    order: 1,
    storedAt: 1,
    state: 'delivered',
    file: { id: new Uint8Array(16), key: new Uint8Array(32), size: 10, chunkSize: 1024, root: new Uint8Array(32), mime: '', name: 'a', state, ...(reason != null ? { reason } : {}) }
  } as MessageRecord
}

/** Applies `notice` from Alice to a store holding `m`; what the message then is, and whether it was written. */
async function apply (m: MessageRecord, kind: ContentFileNotice['kind'], from = 'alice'): Promise<{ file: MessageRecord['file'], written: boolean }> {
  let written = false
  const stored = structuredClone(m)
  const repos = {
    message: async (id: string) => id === stored.id ? stored : undefined,
    messages: { put: () => { written = true } }
  } as unknown as Parameters<typeof applyFileNotice>[1]
  const noticed = await applyFileNotice(tx, repos, { id: from } as ContactRecord, { target: fromHex(ID), kind })
  assert.equal(noticed != null, written, 'written exactly when it says it changed something')
  return { file: stored.file, written }
}

describe('file notices: the rules', () => {
  it('applies each kind in its direction only', async () => {
    assert.deepEqual((await apply(fileMessage('in', 'transferring'), 'cancelled')).file?.state, 'cancelled')
    assert.equal((await apply(fileMessage('in', 'waiting', 'size'), 'cancelled')).file?.reason, 'sender')
    assert.equal((await apply(fileMessage('out', 'waiting'), 'held')).file?.reason, 'held')
    assert.equal((await apply(fileMessage('out', 'waiting', 'held'), 'wanted')).file?.reason, undefined)
    assert.equal((await apply(fileMessage('out', 'waiting'), 'cancelled')).written, false, 'a cancel of our own file')
    assert.equal((await apply(fileMessage('in', 'waiting'), 'held')).written, false, 'a hold of their own file')
    assert.equal((await apply(fileMessage('in', 'done'), 'cancelled')).written, false, 'a file held whole stays')
    assert.equal((await apply(fileMessage('out', 'waiting'), 'wanted')).written, false, 'wanted without held')
    assert.equal((await apply(fileMessage('out', 'waiting', 'held'), 'wanted', 'mallory')).written, false, 'another conversation\'s file')
  })

  it('never changes a file of another conversation, or one that is done, or the file\'s own fields', async () => {
    const states = fc.constantFrom<FileState>('waiting', 'transferring', 'done', 'failed', 'cancelled')
    const reasons = fc.constantFrom(undefined, 'size' as const, 'request' as const, 'held' as const, 'sender' as const)
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('in' as const, 'out' as const), states, reasons,
      fc.constantFrom('cancelled' as const, 'held' as const, 'wanted' as const), fc.constantFrom('alice', 'mallory'),
      async (direction, state, reason, kind, from) => {
        const m = fileMessage(direction, state, reason)
        const { file, written } = await apply(m, kind, from)
        if (from !== 'alice' || (direction === 'in' && state === 'done')) assert.equal(written, false)
        if (direction === 'in' && kind !== 'cancelled') assert.equal(written, false)
        if (direction === 'out' && kind === 'cancelled') assert.equal(written, false)
        assert.deepEqual({ ...file, state: undefined, reason: undefined }, { ...m.file, state: undefined, reason: undefined })
      }
    ))
  })
})
