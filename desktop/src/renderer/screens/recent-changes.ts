// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The latest delivery state and file progress of recent messages, kept as they are pushed. A
 * message the user sent is added to the list when its call's reply comes back; the messenger may
 * have pushed its first changes before that (a small file reaches the relay quickly), and those
 * changes must not be lost: they are applied when the message is added.
 */
import type { Events, FileProgressView, FileView, MessageView } from '../../shared/contract.js'

/** Messages remembered; the oldest are forgotten beyond that. */
const REMEMBERED = 200

/** A message with a pushed delivery state. */
export function withStatus (message: MessageView, status: Events['status']): MessageView {
  const next: MessageView = { ...message, state: status.state }
  if (status.failure != null) next.failure = status.failure
  return next
}

/** A file as a `file` event moved it. */
export function withProgress (file: FileView, progress: FileProgressView): FileView {
  const next: FileView = { ...file, state: progress.state, bytes: progress.bytes }
  if (progress.error != null) next.error = progress.error
  else delete next.error
  if (progress.reason != null) next.reason = progress.reason
  else delete next.reason
  return next
}

/** The latest pushed changes of recent messages. */
export class RecentChanges {
  private readonly statuses = new Map<string, Events['status']>()
  private readonly files = new Map<string, FileProgressView>()

  /** Remembers a pushed delivery state. */
  status (status: Events['status']): void {
    remember(this.statuses, status.id, status)
  }

  /** Remembers a pushed file progress. */
  file (progress: FileProgressView): void {
    remember(this.files, progress.id, progress)
  }

  /** The message with whatever was pushed about it before it was added. */
  apply (message: MessageView): MessageView {
    const status = this.statuses.get(message.id)
    const progress = this.files.get(message.id)
    let next = status != null ? withStatus(message, status) : message
    if (progress != null && next.file != null) next = { ...next, file: withProgress(next.file, progress) }
    return next
  }
}

function remember<T> (map: Map<string, T>, id: string, value: T): void {
  map.delete(id)
  map.set(id, value)
  if (map.size > REMEMBERED) map.delete(map.keys().next().value!)
}
