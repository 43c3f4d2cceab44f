// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A relay in words: who runs it, where, and its address.
 */
import type { ReactNode } from 'react'
import type { RelayView } from '../../shared/contract.js'

/** Describes a relay: operator and jurisdiction when it publishes them. */
export function RelayDescription ({ relay }: { relay: Pick<RelayView, 'address' | 'operator' | 'jurisdiction'> }): ReactNode {
  return (
    <span className='relay'>
      {/* One line: in the column of the relay's lines, a bare separator would take a line of its own. */}
      <span>
        <span className='relay-operator'>{relay.operator ?? 'Unknown operator'}</span>
        {' · '}
        <span className='relay-jurisdiction'>{relay.jurisdiction != null ? `Jurisdiction ${relay.jurisdiction}` : 'Jurisdiction not published'}</span>
      </span>
      <code className='relay-address'>{relay.address}</code>
    </span>
  )
}
