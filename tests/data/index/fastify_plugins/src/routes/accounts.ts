import type { FastifyPluginAsync } from 'fastify';
import { findAccount, openAccount } from '../services/accounts.js';

const accountsRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get<{ Params: { id: string } }>('/:id', async (request, reply) => {
    const account = await findAccount(request.params.id);
    return account ?? reply.code(404).send();
  });

  fastify.post<{ Body: { email: string } }>('/', async (request, reply) => {
    reply.code(201);
    return openAccount(request.body.email);
  });
};

export default accountsRoutes;
