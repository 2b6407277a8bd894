import Fastify from 'fastify';
import authPlugin from './plugins/auth.js';
import healthRoutes from './routes/health.js';

export async function buildApp() {
  const app = Fastify({ logger: true });

  await app.register(healthRoutes, { prefix: '/internal' });
  await app.register(authPlugin);
  await app.register(import('./routes/accounts.js'), { prefix: '/accounts' });
  await app.register(import('./routes/admin/index.js'), { prefix: '/admin' });

  return app;
}
