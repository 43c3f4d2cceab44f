// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A guest's invitation to Sotto, matched in a real store: one use, 30 days, only its own tag, and a
 * tag of another length is no match (the journey is relay-node/test/guest-invite.spec.ts).
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { toBase64url } from '../../src/guest/index.js'
import { GUEST_INVITE_TTL_MS, guestInvitations } from '../../src/messenger/guest-invites.js'
import { encodeGuestConversation, parseGuestConversation } from '../../src/messenger/guest-records.js'
import { openStore } from '../../src/storage/index.js'
import { tempDir } from './helpers.js'
import type { GuestConversationRecord } from '../../src/messenger/guest-records.js'
import type { Store } from '../../src/storage/index.js'

describe('guest invitations', () => {
  let store: Store
  let dir: { dir: string, cleanup(): Promise<void> }
  const now = 1_767_225_600_000

  before(async () => {
    dir = await tempDir()
    store = await openStore({ dir: dir.dir, keySource: { kind: 'passphrase', passphrase: 'a passphrase' }, scryptLogN: 10 })
  })
  after(async () => {
    await store.close()
    await dir.cleanup()
  })

  /** A guest conversation with an open invitation made at `at`; its tag. */
  const invited = async (id: string, at: number): Promise<Uint8Array> => {
    const tag = new Uint8Array(randomBytes(16))
    const c: GuestConversationRecord = {
      id, linkId: 'bGluaw', guestKey: 'a2V5', mailbox: 'bWI', token: 'dG9r', blocked: false, createdAt: at, lastAt: at,
      recent: [], seq: 1, unread: 0, invite: { tag: toBase64url(tag), at }
    }
    await store.put(['guest-conv', id], encodeGuestConversation(c))
    return tag
  }
  const claim = async (tag: Uint8Array, contact: string, at = now): Promise<string | undefined> => {
    const tx = store.transaction()
    const found = await guestInvitations.claim(tx, tag, contact, at)
    await tx.commit()
    return found
  }
  const stored = async (id: string): Promise<GuestConversationRecord> => parseGuestConversation(await store.get(['guest-conv', id]) as Uint8Array)

  it('takes its own tag once: the conversation moves to the contact, and the tag is used up', async () => {
    await invited('guest-a', now)
    const tag = await invited('guest-b', now)
    assert.equal(await claim(tag, 'contact-1'), 'guest-b')
    assert.equal((await stored('guest-b')).movedTo, 'contact-1')
    assert.equal((await stored('guest-b')).invite, undefined)
    assert.equal((await stored('guest-a')).movedTo, undefined, 'another guest\'s invitation is untouched')
    assert.equal(await claim(tag, 'contact-2'), undefined, 'a used tag')
    assert.equal((await stored('guest-b')).movedTo, 'contact-1')
  })

  it('refuses a tag past 30 days, an unknown tag, and a tag of another length', async () => {
    const tag = await invited('guest-c', now - GUEST_INVITE_TTL_MS - 1)
    assert.equal(await claim(tag, 'contact-3'), undefined, 'expired')
    assert.equal(await claim(new Uint8Array(randomBytes(16)), 'contact-3'), undefined, 'unknown')
    const fresh = await invited('guest-d', now)
    assert.equal(await claim(fresh.subarray(0, 15), 'contact-3'), undefined, 'too short')
    assert.equal((await stored('guest-d')).movedTo, undefined)
    assert.equal(await claim(fresh, 'contact-3', now + GUEST_INVITE_TTL_MS), 'guest-d', 'still open on its last day')
  })
})
