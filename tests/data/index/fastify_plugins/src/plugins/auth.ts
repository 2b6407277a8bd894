import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';

export async function verifySession(request: FastifyRequest, reply: FastifyReply) {
  try {
    await request.jwtVerify();
  } catch {
    reply.code(401).send({ error: 'unauthorized' });
  }
}

// fastify-plugin: the hook is added to the app itself, not to a child context
export default fp(
  async (app) => {
    await app.register(jwt, { secret: process.env.JWT_SECRET ?? 'dev-secret' });
    app.addHook('onRequest', verifySession);
  },
  { name: 'auth' },
);
