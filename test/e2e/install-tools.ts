/**
 * CI: installs the kind, helm and kubectl that deskrun pins into ~/.deskrun/bin through deskrun's own
 * provisioning (checksum-verified downloads, what `deskrun doctor --fix` does for a missing tool), so
 * that the e2e job tests the versions deskrun names and not whatever the runner image carries.
 * Run: node --import tsx test/e2e/install-tools.ts
 */
import {toolsBaseUrl} from '../../src/lib/provision/catalog.js'
import {provisionTools} from '../../src/lib/provision/install.js'
import {deskrunBinDir} from '../../src/lib/tools/prerequisites.js'

const installed = await provisionTools(['kind', 'helm', 'kubectl'], {
  binDir: deskrunBinDir(),
  baseUrl: toolsBaseUrl(),
})
for (const tool of installed) console.log(`${tool.tool} ${tool.version}: ${tool.path}`)
