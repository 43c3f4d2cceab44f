// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { SENDER_BACKGROUNDS, SENDER_COLOURS, contrastRatio, senderColour } from '../../src/renderer/components/sender-colours.js'
import { groupDelivery, groupRows } from '../../src/renderer/screens/group-rows.js'
import type { GroupChangeEntry, MessageView } from '../../src/shared/contract.js'

const STYLES = join(import.meta.dirname, '..', '..', '..', 'src', 'renderer', 'styles.css')
const [ME, BOB, CAROL] = [randomUUID(), randomUUID(), randomUUID()]
const names = { selfId: ME, names: new Map<string, string>([[BOB, 'Bob'], [CAROL, 'Carol']]) }

function message (id: string, senderId: string, sentAt: number, seconds = 0): MessageView {
  return {
    id, contactId: 'g', direction: senderId === ME ? 'out' : 'in', text: id, sentAt, storedAt: sentAt, state: 'delivered', senderId,
    ...(seconds > 0 ? { disappearingSeconds: seconds, expiresAt: sentAt + seconds * 1000 } : {})
  }
}

function change (type: GroupChangeEntry['type'], at: number, by: string, member?: string): GroupChangeEntry {
  return { id: `${type}-${at}`, type, at, by, byName: names.names.get(by) ?? 'Me', ...(member != null ? { member, memberName: names.names.get(member) ?? 'Me' } : {}) }
}

const texts = (rows: ReturnType<typeof groupRows>): string[] => rows.filter(r => r.kind !== 'day').map(r => r.kind === 'system' ? `— ${r.text}` : r.message.text)

describe('sender colours', () => {
  it('each has 4.5:1 contrast or better on the bubble of its theme, and the stylesheet draws on those bubbles', async () => {
    for (const [light, dark] of SENDER_COLOURS) {
      assert.ok(contrastRatio(light, SENDER_BACKGROUNDS.light) >= 4.5, `${light} on ${SENDER_BACKGROUNDS.light}`)
      assert.ok(contrastRatio(dark, SENDER_BACKGROUNDS.dark) >= 4.5, `${dark} on ${SENDER_BACKGROUNDS.dark}`)
    }
    const css = await readFile(STYLES, 'utf8')
    const bubbles = [...css.matchAll(/--in: (#[0-9a-f]{6})/g)].map(m => m[1])
    assert.deepEqual([...new Set(bubbles)], [SENDER_BACKGROUNDS.light, SENDER_BACKGROUNDS.dark])
  })

  it('are stable per sender and spread over the palette', () => {
    const ids = Array.from({ length: 200 }, () => randomUUID())
    assert.deepEqual(ids.map(senderColour), ids.map(senderColour))
    assert.ok(new Set(ids.map(senderColour)).size >= SENDER_COLOURS.length - 1)
  })
})

describe('group timeline', () => {
  it('interleaves membership changes and timer changes with messages, in words', () => {
    const rows = groupRows([
      message('hi', BOB, 2000), message('timed', ME, 4000, 3600), message('still timed', BOB, 5000, 3600), message('untimed', CAROL, 6000)
    ], [{ ...change('created', 1000, ME), name: 'Friends' }, change('added', 1500, ME, BOB), change('made-admin', 3000, ME, BOB),
      { ...change('renamed', 5500, BOB), name: 'Pals', previousName: 'Friends' }, change('removed', 7000, BOB, ME)], names, true)
    assert.deepEqual(texts(rows), [
      '— You created the group “Friends”', '— You added Bob', 'hi', '— You made Bob an admin',
      '— You set disappearing messages to 1 hour', 'timed', 'still timed', '— Bob renamed the group from “Friends” to “Pals”', '— Carol turned off disappearing messages', 'untimed',
      '— Bob removed you from the group'
    ])
  })

  it('leaves out changes older than the oldest message until every message is loaded', () => {
    const rows = groupRows([message('late', BOB, 5000, 30)], [change('created', 1000, ME), change('left', 6000, CAROL)], names, false)
    assert.deepEqual(texts(rows), ['late', '— Carol left the group'])
  })

  it('says how many members stored a message of the user\'s', () => {
    const out = { ...message('x', ME, 1), recipientCount: 2 }
    assert.equal(groupDelivery({ ...out, state: 'queued', deliveredCount: 0 }), 'Queued')
    assert.equal(groupDelivery({ ...out, state: 'sent', deliveredCount: 1 }), 'Delivered to 1 of 2')
    assert.equal(groupDelivery({ ...out, state: 'delivered', deliveredCount: 2 }), 'Delivered to 2 of 2')
    assert.equal(groupDelivery({ ...out, recipientCount: 0 }), 'Not sent: no other members')
  })
})
