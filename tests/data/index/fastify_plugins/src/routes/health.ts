import fp from 'fastify-plugin';

// Wrapped so the probes stay at the root whatever prefix the app registers them under.
export default fp(async function healthRoutes(fastify) {
  fastify.get('/healthz', async () => ({ status: 'ok' }));
  fastify.get('/readyz', async () => ({ ready: true }));
});
