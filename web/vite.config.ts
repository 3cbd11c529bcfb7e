import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const require = createRequire(import.meta.url);

/** Where the API's /docs page loads Scalar from, so the reference works offline. */
const SCALAR_PATH = 'vendor/scalar-api-reference.js';

function scalarStandalone(): string {
  return require.resolve('@scalar/api-reference/browser/standalone.js');
}

/**
 * Ships Scalar's standalone bundle at /vendor/scalar-api-reference.js: emitted into the
 * build, and served by the dev server so the proxied /docs page works there too.
 */
function vendorScalar(): Plugin {
  return {
    name: 'channelkit:vendor-scalar',
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: SCALAR_PATH, source: await readFile(scalarStandalone()) });
    },
    configureServer(server) {
      server.middlewares.use(`/${SCALAR_PATH}`, (_req, res, next) => {
        readFile(scalarStandalone()).then((source) => {
          res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
          res.end(source);
        }, next);
      });
    },
  };
}

// Everything that is not the portal belongs to the API (the embedded runtime, `npm start`).
const API_ORIGIN = process.env.CHANNELKIT_API_ORIGIN ?? 'http://localhost:3000';
const API_PREFIXES = ['/api', '/dev', '/config.json', '/health', '/openapi.json', '/docs', '/p', '/t', '/u'];

export default defineConfig({
  root: import.meta.dirname,
  publicDir: 'public',
  plugins: [react(), vendorScalar()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Scalar is copied as-is; the portal's own chunks stay small.
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: Object.fromEntries(
      API_PREFIXES.map((prefix) => [
        // `/p` must not swallow `/partners`, nor `/api` swallow `/api-anything`.
        prefix.includes('.') ? prefix : `^${prefix}(/|$)`,
        { target: API_ORIGIN, changeOrigin: false },
      ]),
    ),
  },
});
