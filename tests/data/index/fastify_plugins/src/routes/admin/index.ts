import type { FastifyInstance } from 'fastify';
import auditRoutes from './audit.js';

export default async function adminRoutes(fastify: FastifyInstance) {
  fastify.get('/ping', async () => 'pong');
  // fastify-plugin ignores the prefix: /admin/audit, not /admin/events/audit
  fastify.register(auditRoutes, { prefix: '/events' });
}
