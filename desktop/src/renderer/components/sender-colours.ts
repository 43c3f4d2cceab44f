// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A stable colour per sender in a group: the same person has the same colour on every screen and
 * every start (chosen from their user id), in a light and a dark variant, each with at least 4.5:1
 * contrast against the message bubble of its theme (WCAG AA for text).
 */

/** The backgrounds sender names are drawn on: the incoming bubble of each theme (`--in`). */
export const SENDER_BACKGROUNDS = { light: '#ffffff', dark: '#262a31' } as const

/** The palette: [light, dark] pairs. */
export const SENDER_COLOURS: ReadonlyArray<readonly [string, string]> = [
  ['#b3261e', '#ff8a80'], ['#1d6b2f', '#7bd88f'], ['#2a55c0', '#8ab4ff'], ['#8a4b00', '#ffb74d'],
  ['#7b1fa2', '#ce93d8'], ['#00695c', '#4dd0c4'], ['#ad1457', '#f48fb1'], ['#5a5f00', '#d4e157']
]

/** The palette entry of `userId`: FNV-1a of the id, so that it never changes. */
export function senderColour (userId: string): readonly [string, string] {
  let hash = 0x811c9dc5
  for (let i = 0; i < userId.length; i++) hash = Math.imul(hash ^ userId.charCodeAt(i), 0x01000193) >>> 0
  return SENDER_COLOURS[hash % SENDER_COLOURS.length]!
}

/** WCAG contrast ratio of two `#rrggbb` colours. */
export function contrastRatio (a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (high + 0.05) / (low + 0.05)
}

function luminance (hex: string): number {
  const channel = (i: number): number => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
}
