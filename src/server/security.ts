import type { FastifyInstance } from 'fastify';

/**
 * Sent with every answer. The API serves JSON to the terminals' own screens, never a page to
 * be framed or scripts from elsewhere: a CSP that allows nothing and no frame ancestors,
 * no MIME sniffing, no referrer. CORS stays closed: no Access-Control-Allow-Origin is ever
 * sent, so a page of another origin in a till's browser cannot read the API.
 */
export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    for (const [k, v] of Object.entries(securityHeaders)) void reply.header(k, v);
    reply.removeHeader('access-control-allow-origin');
    done(null, payload);
  });
}
