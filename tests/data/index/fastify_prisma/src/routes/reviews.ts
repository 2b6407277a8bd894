import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireAdmin } from '../hooks/auth.js';
import { addReview, reviewsFor } from '../services/reviews.js';

type ProductParams = { Params: { productId: string } };

async function listForProduct(request: FastifyRequest<ProductParams>) {
  return reviewsFor(Number(request.params.productId));
}

export async function reviewRoutes(fastify: FastifyInstance) {
  fastify.route({ method: 'GET', url: '/:productId', handler: listForProduct });

  fastify.route<ProductParams & { Body: { rating: number; body: string } }>({
    method: ['POST'],
    url: '/:productId',
    preHandler: requireAdmin,
    handler: async (request, reply: FastifyReply) => {
      const { rating, body } = request.body;
      const review = await addReview(Number(request.params.productId), rating, body);
      return reply.code(201).send(review);
    },
  });
}
