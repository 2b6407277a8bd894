import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { recentEvents } from '../../services/audit.js';

async function auditRoutes(fastify: FastifyInstance) {
  fastify.get('/audit', async () => recentEvents(50));
}

export default fp(auditRoutes, { name: 'admin-audit' });
