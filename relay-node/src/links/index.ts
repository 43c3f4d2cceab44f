// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Short links and admission at the relay: `/sotto/link/1.0.0`, its store, the join codes of an
 * invite-only relay, and the relay's own link.
 */
export { Admission, JOIN_CODES_FILE } from './admission.js'
export { LinkService } from './service.js'
export type { LinkServiceInit } from './service.js'
export { LinkStore } from './store.js'
export type { LinkRecord } from './store.js'
