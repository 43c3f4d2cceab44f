// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Numbered schema migrations. A data directory records its schema version in the meta record;
 * at open, every migration above it runs in order, each in one transaction that also moves the
 * recorded version, so a crash leaves the directory at one version or the next, never between.
 *
 * A new data directory starts at the latest version: there is nothing in it to migrate.
 */

import { BugError } from '../errors.js'
import type { Migration } from './types.js'

/** The schema version of a data directory before any migration. */
export const BASE_SCHEMA_VERSION = 1

/** Sotto's storage migrations, oldest first. None yet: the schema is at version 1. */
export const storeMigrations: readonly Migration[] = []

/** The version a list of migrations leads to. Throws a BugError if the list is not 2, 3, 4, … */
export function latestSchemaVersion (migrations: readonly Migration[]): number {
  migrations.forEach((m, i) => {
    if (m.version !== BASE_SCHEMA_VERSION + i + 1) {
      throw new BugError(`migration ${i} has version ${m.version}, expected ${BASE_SCHEMA_VERSION + i + 1}`)
    }
    if (typeof m.migrate !== 'function') throw new BugError(`migration ${m.version} has no migrate function`)
  })
  return BASE_SCHEMA_VERSION + migrations.length
}
