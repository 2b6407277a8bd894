import type { FastifyReply, FastifyRequest } from 'fastify';

export async function verifyApiToken(request: FastifyRequest, reply: FastifyReply) {
  if (request.headers['x-api-token'] !== process.env.API_TOKEN) {
    return reply.code(401).send({ error: 'unauthorized' });
  }
}

export async function requireAdmin(request: FastifyRequest, reply: FastifyReply) {
  if (request.headers['x-role'] !== 'admin') {
    return reply.code(403).send({ error: 'forbidden' });
  }
}
