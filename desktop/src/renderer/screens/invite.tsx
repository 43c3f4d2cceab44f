// SPDX-License-Identifier: AGPL-3.0-only
/**
 * My invite: the link, a copy button, and the same link as a QR code.
 */
import { useEffect, useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { QrCode } from '../components/qr-code.js'
import { useAction } from '../components/use-action.js'
import type { ReactNode } from 'react'

/** The invite screen. */
export function Invite (): ReactNode {
  const client = useClient()
  const id = useId()
  const [link, setLink] = useState<string>()
  const [qr, setQr] = useState<string>()
  const [copied, setCopied] = useState<string>()
  const make = useAction(async () => {
    setCopied(undefined)
    const invite = await client.createInvite()
    setLink(invite.link)
    setQr(invite.qr)
  })
  // Make one invite when the screen opens.
  useEffect(() => { void make.run() }, [])

  const copy = async (): Promise<void> => {
    if (link == null) return
    try {
      await navigator.clipboard.writeText(link)
      setCopied('Copied')
    } catch {
      const field = document.getElementById(id) as HTMLTextAreaElement | null
      field?.select()
      setCopied('Selected: press Ctrl+C to copy')
    }
  }

  return (
    <section className='invite' aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>My invite</h2>
      <p>Anyone with this link can ask to talk to you. Share it in a way you trust; the first message of someone new waits in Requests.</p>
      {make.error != null && <p role='alert' className='error'>{make.error}</p>}
      {link == null
        ? <p aria-busy='true'>Preparing your invite…</p>
        : (
          <>
            <label htmlFor={id}>Invite link</label>
            <textarea id={id} className='invite-link' readOnly value={link} rows={4} onFocus={e => { e.currentTarget.select() }} />
            <div className='row'>
              <button type='button' className='primary' onClick={() => { void copy() }}>Copy link</button>
              <button type='button' onClick={() => { void make.run() }} disabled={make.busy}>New link</button>
              <span role='status' className='status'>{copied}</span>
            </div>
            {qr != null && <QrCode text={qr} label='QR code of your invite link' />}
          </>
          )}
    </section>
  )
}
