// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Text that came from a peer (names, messages). Always rendered as text nodes, isolated from the
 * surrounding layout with <bdi>, so neither markup nor bidi overrides can change the UI around it.
 * Only https URLs become links, and those open outside the app after a confirmation.
 */
import { BIDI_CONTROLS } from '../../shared/contract.js'
import { useClient } from './context.js'
import type { MouseEvent, ReactNode } from 'react'

/** A name from a peer: bidi controls removed, isolated. */
export function PeerName ({ name }: { name: string }): ReactNode {
  return <bdi className='peer-name'>{cleanName(name)}</bdi>
}

/** A name with bidi controls and control characters removed. */
export function cleanName (name: string): string {
  const clean = name.replace(BIDI_CONTROLS, '').replace(/[\u0000-\u001f\u007f]/g, '').trim()
  return clean === '' ? 'Unnamed' : clean
}

const URL_PATTERN = /https:\/\/[^\s<>"'`\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]+/g

/** Splits text into plain parts and https URLs (trailing punctuation stays text). */
export function splitLinks (text: string): Array<{ kind: 'text' | 'link', value: string }> {
  const parts: Array<{ kind: 'text' | 'link', value: string }> = []
  let last = 0
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0]
    const trailing = /[.,;:!?)\]]+$/.exec(url)?.[0] ?? ''
    url = url.slice(0, url.length - trailing.length)
    if (url.length <= 'https://'.length) continue
    if (match.index > last) parts.push({ kind: 'text', value: text.slice(last, match.index) })
    parts.push({ kind: 'link', value: url })
    last = match.index + url.length
  }
  if (last < text.length) parts.push({ kind: 'text', value: text.slice(last) })
  return parts
}

/** A message text from a peer or from the user. */
export function PeerText ({ text }: { text: string }): ReactNode {
  const client = useClient()
  const open = (event: MouseEvent<HTMLAnchorElement>, url: string): void => {
    event.preventDefault()
    void client.openLink({ url }).catch(() => {})
  }
  return (
    <bdi className='peer-text' dir='auto'>
      {splitLinks(text).map((part, i) => part.kind === 'text'
        ? part.value
        : <a key={i} href={part.value} rel='noopener noreferrer' target='_blank' onClick={e => { open(e, part.value) }}>{part.value}</a>)}
    </bdi>
  )
}
