// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `setImmediate`, a Node global that `@sotto/core`'s stream framing uses to send the frames
 * written in one turn together; the bundler puts this in its place in the guest page.
 */

/** Runs `fn` after the current turn of the event loop. */
export function setImmediate (fn: () => void): void {
  const channel = new MessageChannel()
  channel.port1.onmessage = () => { channel.port1.close(); fn() }
  channel.port2.postMessage(null)
}
