// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The relay's software version, from its package.json.
 */

import { createRequire } from 'node:module'

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string }

/** The version of `@sotto/relay-node`, e.g. `0.1.0`. */
export const VERSION: string = pkg.version

/** What the relay calls itself in relay-info and identify: `sotto-relay/<version>`. */
export const AGENT = `sotto-relay/${VERSION}`
