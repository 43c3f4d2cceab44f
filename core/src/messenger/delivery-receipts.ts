// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What a contact's delivery receipt changes: the user's own messages it names become delivered, a
 * group message counts one more member.
 */
import { toHex } from '../util/index.js'
import type { GroupInbox } from './group-inbox.js'
import type { MessageRecord } from './records.js'
import type { Repositories } from './state.js'
import type { Transaction } from '../storage/types.js'

/** Marks the messages `ids` as delivered to `contactId` in `tx`; returns those that changed. */
export async function deliveredBy (
  tx: Transaction,
  repos: Pick<Repositories, 'message' | 'messages'>,
  groups: GroupInbox | undefined,
  contactId: string,
  ids: Uint8Array[]
): Promise<MessageRecord[]> {
  const changed: MessageRecord[] = []
  for (const receiptId of ids) {
    const delivered = await repos.message(toHex(receiptId), tx)
    if (delivered?.groupId != null) {
      if (groups?.delivered(delivered, contactId) === true) {
        repos.messages.put(tx, delivered)
        // Each member's receipt shows ("delivered to N of M"), not only the last one.
        changed.push(delivered)
      }
    // A read message stays read: the delivery receipt may come after the read receipt.
    } else if (delivered?.contactId === contactId && delivered.direction === 'out' && delivered.state !== 'delivered' && delivered.state !== 'read') {
      delivered.state = 'delivered'
      repos.messages.put(tx, delivered)
      changed.push(delivered)
    }
  }
  return changed
}
