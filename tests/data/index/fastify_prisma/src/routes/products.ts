import type { FastifyInstance } from 'fastify';
import { requireAdmin } from '../hooks/auth.js';
import { createProduct, getProduct, listProducts, type NewProduct } from '../services/products.js';

export async function productRoutes(fastify: FastifyInstance) {
  fastify.get('/', async () => listProducts());

  fastify.get<{ Params: { id: string } }>('/:id', async (request, reply) => {
    const product = await getProduct(Number(request.params.id));
    return product ?? reply.code(404).send({ error: 'not found' });
  });

  fastify.post<{ Body: NewProduct }>('/', { preHandler: [requireAdmin] }, async (request, reply) => {
    const product = await createProduct(request.body);
    return reply.code(201).send(product);
  });
}
