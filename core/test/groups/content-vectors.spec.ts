// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Test vectors of the group bodies of Content (docs/PROTOCOL.md, "Group content"): each encodes
 * byte for byte as `content-vectors.json` says, decodes back to itself, and is quoted in the
 * specification. `SOTTO_WRITE_VECTORS=1` rewrites the file instead (then update the documentation).
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { decodeContent, encodeContent } from '../../src/protocol/index.js'
import type { Content } from '../../src/protocol/index.js'

// The JSON file sits beside the sources, not in dist.
const FILE = fileURLToPath(new URL('../../../test/groups/content-vectors.json', import.meta.url))
const DOC = fileURLToPath(new URL('../../../../docs/PROTOCOL.md', import.meta.url))

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
/** `n` bytes counting up from `first`. */
const counting = (first: number, n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (first + i) & 0xff)

const id = counting(0x10, 16)
const groupId = counting(0xa0, 16)
const sentAt = 1767225600123

/** The file of the one-to-one File vector (docs/PROTOCOL.md), sent to a group as its sender's text 5. */
const groupFile = {
  id: counting(0x00, 16),
  key: counting(0x20, 32),
  size: 1500,
  paddedSize: 1507,
  chunkSize: 1024,
  root: Uint8Array.from(Buffer.from('7066002d063dd3482e502ad91c3768dfae4336354fb85efa65fc1ae2e8eb4dc0', 'hex')),
  mime: 'text/plain',
  name: 'notes.txt',
  seq: 5
}

/** The contents: opaque bytes stand for the change, the distribution message and the card. */
const CONTENTS: Record<string, Content> = {
  groupText: { id, sentAt, groupText: { groupId, text: 'Hello, everyone!', seq: 3, disappearingSeconds: 0 } },
  groupTextDisappearing: { id, sentAt, groupText: { groupId, text: 'gone in a day', seq: 4, disappearingSeconds: 86400 } },
  groupFile: { id, sentAt, groupText: { groupId, text: '', seq: 5, disappearingSeconds: 0, file: groupFile } },
  senderKey: { id, sentAt, senderKey: { groupId, distribution: counting(0x33, 8) } },
  groupUpdate: { id, sentAt, groupUpdate: { groupId, changes: [counting(0xc0, 8), counting(0xd0, 8)] } },
  groupJoinAsk: { id, sentAt, groupJoin: { groupId, name: 'Family' } },
  groupJoinAnswer: { id, sentAt, groupJoin: { groupId, name: '', card: counting(0xe0, 8), depositToken: counting(0x40, 32) } },
  groupReply: { id, sentAt, groupText: { groupId, text: 'Me too', seq: 5, disappearingSeconds: 0, replyTo: counting(0x20, 16) } },
  groupReaction: { id, sentAt, reaction: { target: counting(0x20, 16), emoji: '👍', groupId } },
  groupEdit: { id, sentAt, edit: { target: counting(0x20, 16), text: 'Hello, all!', groupId } },
  groupDelete: { id, sentAt, delete: { target: counting(0x20, 16), groupId } }
}

function compute (): Record<string, string> {
  return Object.fromEntries(Object.entries(CONTENTS).map(([name, content]) => [name, hex(encodeContent(content))]))
}

describe('group content test vectors', () => {
  const computed = compute()
  if (process.env.SOTTO_WRITE_VECTORS === '1') writeFileSync(FILE, JSON.stringify(computed, null, 2) + '\n')
  const stored = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string>

  it('encodes each content byte for byte, and decodes it back', () => {
    assert.deepEqual(computed, stored)
    for (const [name, content] of Object.entries(CONTENTS)) {
      assert.deepEqual(decodeContent(Buffer.from(stored[name] as string, 'hex')), content, name)
    }
  })

  it('is quoted in docs/PROTOCOL.md', () => {
    const flat = readFileSync(DOC, 'utf8').replace(/\s+/g, '')
    const missing = Object.entries(stored).filter(([, bytes]) => !flat.includes(bytes)).map(([name]) => name)
    assert.deepEqual(missing, [])
  })

  it('refuses a group body with a short group id, or a join with a card and no token', () => {
    const short = { id, sentAt, groupText: { groupId: counting(0, 15), text: 'x', seq: 0, disappearingSeconds: 0 } }
    assert.throws(() => encodeContent(short), { name: 'InvalidInputError' })
    assert.throws(() => encodeContent({ id, sentAt, reaction: { target: id, emoji: '👍', groupId: counting(0, 15) } }), { name: 'InvalidInputError' })
    const half = { id, sentAt, groupJoin: { groupId, name: '', card: counting(0, 8) } }
    assert.throws(() => encodeContent(half), { name: 'InvalidInputError' })
    const two = { ...CONTENTS.groupText, senderKey: { groupId, distribution: counting(0, 4) } } as Content
    assert.throws(() => encodeContent(two), { name: 'InvalidInputError' })
    const texted = { id, sentAt, groupText: { groupId, text: 'and a caption', seq: 5, disappearingSeconds: 0, file: groupFile } }
    assert.throws(() => encodeContent(texted), { name: 'InvalidInputError' }, 'a group file carries no text')
    const renumbered = { id, sentAt, groupText: { groupId, text: '', seq: 6, disappearingSeconds: 0, file: groupFile } }
    assert.throws(() => encodeContent(renumbered), { name: 'InvalidInputError' }, 'its file\'s seq is the text\'s')
  })
})
