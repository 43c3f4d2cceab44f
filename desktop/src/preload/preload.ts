// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The preload script of the Sotto window (bundled to CommonJS, as sandboxed preloads must be).
 */
import { contextBridge, ipcRenderer } from 'electron'
import { exposeSotto } from './bridge.js'

exposeSotto(contextBridge, ipcRenderer)
