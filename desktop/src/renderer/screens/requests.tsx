// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Contact requests: strangers whose first message waits for a decision.
 */
import { useEffect, useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { PeerName, PeerText } from '../components/peer-text.js'
import { useAction } from '../components/use-action.js'
import type { ReactNode } from 'react'
import type { ContactView } from '../../shared/contract.js'

/** Props of {@link Requests}. */
export interface RequestsProps {
  /** Pending requests. */
  requests: readonly ContactView[]
  /** Called with the accepted contact. */
  onAccepted: (contactId: string) => void
  /** Called after any change, to reload lists. */
  onChanged: () => void
}

/** How many older requests were dropped, asked again whenever the list changes. */
function useDroppedRequests (requests: readonly ContactView[]): number {
  const client = useClient()
  const [dropped, setDropped] = useState(0)
  useEffect(() => {
    let live = true
    client.droppedRequests().then(r => { if (live) setDropped(r.dropped) }, () => {})
    return () => { live = false }
  }, [client, requests])
  return dropped
}

/** The requests screen. */
export function Requests ({ requests, onAccepted, onChanged }: RequestsProps): ReactNode {
  const client = useClient()
  const id = useId()
  const accept = useAction(async (contactId: string) => {
    await client.accept({ contactId })
    onChanged()
    onAccepted(contactId)
  })
  const block = useAction(async (contactId: string) => {
    await client.block({ contactId })
    onChanged()
  })
  const pending = requests.filter(r => !r.blocked)
  const dropped = useDroppedRequests(requests)
  return (
    <section className='requests' aria-labelledby={id}>
      <h2 id={id}>Requests</h2>
      <p className='hint'>People not in your contacts who wrote to you. Accepting lets them keep writing; blocking stops them.</p>
      {dropped > 0 && <p className='banner info'>{dropped === 1 ? '1 older request was' : `${dropped} older requests were`} dropped to keep the newest.</p>}
      {pending.length === 0 && <p className='empty'>No requests.</p>}
      <ul className='request-list'>
        {pending.map(request => (
          <li key={request.id} className='request'>
            <h3><PeerName name={request.displayName} /></h3>
            {request.lastMessage != null && <blockquote><PeerText text={request.lastMessage.text} /></blockquote>}
            <div className='row'>
              <button type='button' className='primary' onClick={() => { void accept.run(request.id) }} disabled={accept.busy}>
                Accept<span className='visually-hidden'> <PeerName name={request.displayName} /></span>
              </button>
              <button type='button' className='danger' onClick={() => { void block.run(request.id) }} disabled={block.busy}>
                Block<span className='visually-hidden'> <PeerName name={request.displayName} /></span>
              </button>
            </div>
          </li>
        ))}
      </ul>
      {(accept.error ?? block.error) != null && <p role='alert' className='error'>{accept.error ?? block.error}</p>}
    </section>
  )
}
