// SPDX-License-Identifier: AGPL-3.0-only
/**
 * My invite: the short link and its QR code first; the long link (which works with no relay, on a
 * LAN) under a disclosure. "New link" revokes the short link at the relay and makes another.
 */
import { useEffect, useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { QrCode } from '../components/qr-code.js'
import { useAction } from '../components/use-action.js'
import type { ReactNode } from 'react'
import type { InviteView } from '../../shared/contract.js'

/** A read-only link with its copy button (also the guest link's). */
export function LinkField ({ label, link, rows, children }: { label: string, link: string, rows: number, children?: ReactNode }): ReactNode {
  const id = useId()
  const [copied, setCopied] = useState<string>()
  const copy = async (): Promise<void> => {
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
    <>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} className='invite-link' readOnly value={link} rows={rows} onFocus={e => { e.currentTarget.select() }} />
      <div className='row'>
        <button type='button' className='primary' onClick={() => { void copy() }}>Copy {label.toLowerCase()}</button>
        {children}
        <span role='status' className='status'>{copied}</span>
      </div>
    </>
  )
}

/** The invite screen. */
export function Invite (): ReactNode {
  const client = useClient()
  const id = useId()
  const [invite, setInvite] = useState<InviteView>()
  const make = useAction(async (renew: boolean) => {
    setInvite(renew ? await client.renewInvite() : await client.createInvite())
  })
  // Make (or fetch) the invite when the screen opens.
  useEffect(() => { void make.run(false) }, [])

  const renew = <button type='button' onClick={() => { void make.run(true) }} disabled={make.busy}>New link</button>
  return (
    <section className='invite' aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>My invite</h2>
      <p>Anyone with this link can ask to talk to you. Share it in a way you trust; the first message of someone new waits in Requests.</p>
      {make.error != null && <p role='alert' className='error'>{make.error}</p>}
      {invite == null
        ? <p aria-busy='true'>Preparing your invite…</p>
        : (
          <>
            <QrCode text={invite.qr} label='QR code of your invite link' />
            {invite.short != null
              ? <LinkField label='Invite link' link={invite.short} rows={2}>{renew}</LinkField>
              : <p className='note'>No relay holds a short link for you now: share the long link below, or add a relay in Settings.</p>}
            <details className='long-link' open={invite.short == null}>
              <summary>Long link (works without relays, e.g. on the same network)</summary>
              <LinkField label='Long invite link' link={invite.link} rows={4}>{invite.short == null ? renew : null}</LinkField>
            </details>
          </>
          )}
    </section>
  )
}
