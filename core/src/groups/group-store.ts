// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Where group logs rest in the encrypted store: each group's create change under
 * `['group', groupId]`, and every other change taken in (applied, superseded or waiting for its
 * parents) under `['group-change', groupId, changeId]`. Changes are stored as received, so a log
 * read back checks them all again; the order they come back in does not matter.
 */
import { InvalidInputError } from '../errors.js'
import { decodeGroupChange } from './change.js'
import { GroupLog } from './membership.js'
import type { Key, StoreReader, Transaction } from '../storage/types.js'

function createKey (groupId: string): Key {
  return ['group', groupId]
}

function changeKey (groupId: string, changeId: string): Key {
  return ['group-change', groupId, changeId]
}

/**
 * Records a change that `log` has taken in (`receive` or `propose` returned without throwing),
 * or its create change. The caller commits.
 */
export function recordGroupChange (tx: Transaction, log: GroupLog, bytes: Uint8Array): void {
  const change = decodeGroupChange(bytes)
  if (change.action.type === 'create') {
    tx.put(createKey(log.groupId), bytes)
  } else {
    tx.put(changeKey(log.groupId, change.id), bytes)
  }
}

/**
 * The log of `groupId` as stored, every change checked again, or undefined when none is stored.
 *
 * @throws the errors of {@link GroupLog.open} when the stored create change is not valid
 */
export async function loadGroupLog (reader: StoreReader, groupId: string): Promise<GroupLog | undefined> {
  const create = await reader.get(createKey(groupId))
  if (create === undefined) return undefined
  const log = GroupLog.open(create)
  for await (const bytes of reader.values(['group-change', groupId])) {
    try {
      log.receive(bytes)
    } catch (err) {
      // Taken in once, so checked once: a change refused now was stored by an older rule. Skip it.
      if (!(err instanceof InvalidInputError)) throw err
    }
  }
  return log
}

/** The logs of every stored group. */
export async function loadGroupLogs (reader: StoreReader): Promise<GroupLog[]> {
  const logs: GroupLog[] = []
  for await (const create of reader.values(['group'])) {
    const log = GroupLog.open(create)
    logs.push(await loadGroupLog(reader, log.groupId) as GroupLog)
  }
  return logs
}
