import { Router } from 'express';
import { requireFreshLogin } from '../middleware/auth.js';

export function invoicesRouter() {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json([]);
  });
  return router;
}

export const billingRouter = Router();

billingRouter.use('/invoices', requireFreshLogin, invoicesRouter());
