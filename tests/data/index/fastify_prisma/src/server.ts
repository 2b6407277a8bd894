import Fastify from 'fastify';
import { verifyApiToken } from './hooks/auth.js';
import { productRoutes } from './routes/products.js';
import { reviewRoutes } from './routes/reviews.js';

export const app = Fastify({ logger: true });

app.get('/health', async () => ({ status: 'ok' }));

app.addHook('onRequest', verifyApiToken);
app.register(productRoutes, { prefix: '/products' });
app.register(reviewRoutes, { prefix: '/reviews' });

if (process.env.NODE_ENV !== 'test') {
  await app.listen({ port: Number(process.env.PORT ?? 3000), host: '0.0.0.0' });
}
