import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * The cashier's screen's own policy, on its pages and assets only (the API keeps the
 * allow-nothing one of `security.ts`): scripts and style sheets from this origin, requests to
 * this origin, no frames of it elsewhere. Inline styles are allowed because the receipt's print
 * view is the node's receipt HTML (its `<style>` element) shown in a sandboxed srcdoc frame,
 * which inherits this policy; inline scripts are not.
 */
export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

interface Asset {
  readonly type: string;
  readonly body: Buffer;
  /** Vite names assets by their content hash: they never change under one URL. */
  readonly immutable: boolean;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * Reads the built UI (`vite build` output) once at start. Only the files found then are
 * served, by exact URL: no path from a request ever reaches the file system.
 */
export function loadWeb(dir: string): ReadonlyMap<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const file of walk(dir)) {
    const url = `/${relative(dir, file).split(sep).join('/')}`;
    const type = TYPES[extname(file)];
    if (type === undefined) continue;
    assets.set(url, { type, body: readFileSync(file), immutable: url.startsWith('/assets/') });
  }
  const index = assets.get('/index.html');
  if (!index) throw new Error(`${dir}: no index.html (run npm run build)`);
  assets.set('/', index);
  return assets;
}

/** Serves the built UI at `/` (GET only); its answers get the UI's policy, not the API's. */
export function installWeb(app: FastifyInstance, assets: ReadonlyMap<string, Asset>): void {
  for (const [url, asset] of assets) {
    app.get(url, (_request, reply) => {
      void reply.type(asset.type);
      return reply.send(asset.body);
    });
  }
  // Registered after the API's security headers: these two override them for the UI's files.
  app.addHook('onSend', (request, reply, payload, done) => {
    const asset = assets.get(request.url.split('?')[0] ?? '');
    if (asset && request.method === 'GET') {
      void reply.header('content-security-policy', UI_CSP);
      if (asset.immutable)
        void reply.header('cache-control', 'public, max-age=31536000, immutable');
    }
    done(null, payload);
  });
}
