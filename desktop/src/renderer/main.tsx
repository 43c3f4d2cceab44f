// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The renderer's entry: picks the bridge (the preload's `window.sotto` in Electron, the WebSocket
 * in a browser) and renders the app.
 */
import { createRoot } from 'react-dom/client'
import { HEADLESS_IPC_PATH } from '../shared/headless.js'
import { App } from './app.js'
import { createClient } from './client.js'
import { showBrowserNotifications } from './browser-notifications.js'
import { takeOpenLink } from './open-link.js'
import { connectWebSocketBridge, takeToken } from './ws-bridge.js'
import type { SottoBridge } from '../shared/api.js'

const root = createRoot(document.getElementById('root')!)
const preloaded = (window as unknown as { sotto?: SottoBridge }).sotto

if (preloaded != null) {
  root.render(<App client={createClient(preloaded)} />)
} else {
  // Taken first: it leaves the rest of the address (the token) in place.
  const opened = takeOpenLink(window.location, window.history)
  const token = takeToken(window.location, window.history, window.sessionStorage)
  if (token == null) {
    root.render(
      <main className='center'>
        <h1>Sotto</h1>
        <p role='alert' className='error'>Open the address that sotto-desktop printed, including its #token part.</p>
      </main>
    )
  } else {
    const bridge = connectWebSocketBridge({
      // wss when a TLS tunnel or proxy serves the page.
      url: `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${HEADLESS_IPC_PATH}`,
      token,
      onDisconnect: () => {
        root.render(
          <main className='center'>
            <h1>Sotto</h1>
            <p role='alert' className='error'>The connection to Sotto was lost: it stopped, or this address is out of date. Open the address it printed when it started again.</p>
          </main>
        )
      }
    })
    showBrowserNotifications(bridge)
    root.render(<App client={createClient(bridge)} {...(opened != null ? { opened } : {})} />)
  }
}
