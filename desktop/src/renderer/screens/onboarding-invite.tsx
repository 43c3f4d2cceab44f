// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Onboarding for a newcomer who was invited: the invite that brought them (opened from outside the
 * app, pasted, or read from a QR code on this first screen) is read at once, and the screen says
 * who invited them before anything is created. "Create" then also adds the inviter: the invite on
 * screen is the question "Add Alice?", answered by that click. "Not now" drops it.
 */
import { useEffect, useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { PeerName } from '../components/peer-text.js'
import { QrReader } from '../components/qr-reader.js'
import { useAction } from '../components/use-action.js'
import { isInviteLink } from '../open-link.js'
import type { ReactNode } from 'react'
import type { InvitePreviewView } from '../../shared/contract.js'

/** An invite link field: read as soon as a whole link is pasted, or with "Read". */
function InviteLinkField ({ onInvite }: { onInvite: (invite: string) => void }): ReactNode {
  const id = useId()
  const [text, setText] = useState('')
  const change = (value: string): void => {
    // A link that arrives whole (pasted, dropped) is read at once; one being typed waits for "Read".
    const whole = value.length - text.length > 8
    setText(value)
    if (whole && isInviteLink(value)) onInvite(value.trim())
  }
  return (
    <>
      <label htmlFor={id}>Their invite link</label>
      <div className='row'>
        <input id={id} value={text} onChange={e => { change(e.target.value) }} placeholder='sotto://s/…' autoComplete='off' spellCheck={false} />
        <button type='button' onClick={() => { onInvite(text.trim()) }} disabled={text.trim() === ''}>Read</button>
      </div>
    </>
  )
}

/** How reading the invite goes ({@link useInviter}). */
export interface InviteReading {
  /** The invite is being read. */
  reading: boolean
  /** Why the last invite could not be read. */
  error: string | undefined
}

/**
 * Reads `invite` whenever it changes and reports what it says to `onInviter`; a link that cannot be
 * read (revoked, expired, mistyped) is dropped with `onInvite(undefined)`, so "Create" adds nobody.
 */
export function useInviter (invite: string | undefined, onInvite: (invite: undefined) => void, onInviter: (inviter: InvitePreviewView | undefined) => void): InviteReading {
  const client = useClient()
  const preview = useAction(async (link: string) => {
    try {
      onInviter(await client.previewInvite({ invite: link }))
    } catch (err) {
      onInvite(undefined)
      throw err
    }
  })
  useEffect(() => {
    onInviter(undefined)
    if (invite != null) void preview.run(invite)
  }, [invite])
  return { reading: preview.busy, error: preview.error }
}

/** Who invited the user, said before anything is created, with "Not now" to drop the invite. */
export function InvitedBy ({ name, onDrop }: { name: string, onDrop: () => void }): ReactNode {
  const titleId = useId()
  return (
    <section className='invited' aria-labelledby={titleId}>
      <h2 id={titleId}><PeerName name={name} /> invited you</h2>
      <p>
        Creating your identity also adds <PeerName name={name} /> to your contacts: they get a contact request
        with your name, and you can write to them at once.
      </p>
      <button type='button' onClick={onDrop}>Not now</button>
    </section>
  )
}

/** The ways to give the invite that brought the user: its link, or its QR code. */
export function InviteEntry ({ onInvite, reading, error }: { onInvite: (invite: string) => void, reading: boolean, error: string | undefined }): ReactNode {
  return (
    <fieldset>
      <legend>Invited by someone?</legend>
      <p className='hint'>Paste the link they sent you, or read their QR code (an image, a pasted screenshot, or the camera).</p>
      <InviteLinkField onInvite={onInvite} />
      <QrReader what='invite' accepts={isInviteLink} onText={text => { onInvite(text.trim()) }} />
      {reading && <p aria-busy='true'>Reading the invite…</p>}
      {error != null && <p role='alert' className='error'>{error}</p>}
    </fieldset>
  )
}
