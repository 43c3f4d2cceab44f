// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Formatting of times, days, durations, presence and delivery states.
 */
import type { FailureReason, MessageState, Presence } from '../../shared/contract.js'

/** The local calendar day of a timestamp, `YYYY-MM-DD`. */
export function dayKey (ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** "Today", "Yesterday" or a full date. */
export function dayLabel (ms: number, now = Date.now()): string {
  if (dayKey(ms) === dayKey(now)) return 'Today'
  if (dayKey(ms) === dayKey(now - 86_400_000)) return 'Yesterday'
  return new Intl.DateTimeFormat(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(ms)
}

/** A time of day, e.g. 14:05. */
export function timeLabel (ms: number): string {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(ms)
}

/** Disappearing-message timers and their names. */
export const DISAPPEARING_LABELS: ReadonlyArray<[number, string]> = [
  [0, 'Off'], [10, '10 seconds'], [30, '30 seconds'], [300, '5 minutes'], [3600, '1 hour'], [28800, '8 hours'],
  [86400, '1 day'], [604800, '1 week'], [2419200, '4 weeks']
]

/** The name of a timer. */
export function disappearingLabel (seconds: number): string {
  return DISAPPEARING_LABELS.find(([s]) => s === seconds)?.[1] ?? `${seconds} seconds`
}

/** How a contact is reachable, in words. */
export function presenceLabel (presence: Presence): string {
  return presence === 'direct' ? 'Direct' : presence === 'relay' ? 'Via relay' : 'Offline'
}

const FAILURES: Record<FailureReason, string> = {
  blocked: 'blocked',
  'identity-changed': 'safety number changed',
  rejected: 'rejected',
  expired: 'expired'
}

/** A delivery state, in words. */
export function stateLabel (state: MessageState, failure?: FailureReason): string {
  switch (state) {
    case 'queued': return 'Queued'
    case 'sent': return 'Sent to relay'
    case 'delivered': return 'Delivered'
    case 'read': return 'Read ✓✓'
    default: return failure != null ? `Not sent: ${FAILURES[failure]}` : 'Not sent'
  }
}

/** A safety number in twelve groups of five digits. */
export function safetyGroups (safetyNumber: string): string[] {
  const digits = safetyNumber.replace(/\D/g, '')
  const groups: string[] = []
  for (let i = 0; i < digits.length; i += 5) groups.push(digits.slice(i, i + 5))
  return groups
}
