// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What can be told about a data directory without opening it.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** Whether `dir` already holds a store (a new one is made on first open otherwise). */
export function hasStore (dir: string): boolean {
  // level writes CURRENT when it creates a database; `openStore` keeps its database in `db`.
  return existsSync(join(dir, 'db', 'CURRENT'))
}
