import { Router } from 'express';
import { prisma } from '@acme/db';
import { auditLog } from '../middleware/audit.js';
import { requireFreshLogin } from '../middleware/auth.js';
import { csrf } from '../middleware/csrf.js';

export const adminRouter = Router();

adminRouter.get('/ping', (_req, res) => {
  res.send('pong');
});

adminRouter.use(auditLog);

adminRouter.get('/stats', async (_req, res) => {
  res.json({ users: await prisma.user.count() });
});

adminRouter.delete('/users/:id', [requireFreshLogin, csrf], async (req, res) => {
  await prisma.user.delete({ where: { id: Number(req.params.id) } });
  res.status(204).end();
});

adminRouter
  .route('/users/:id/sessions')
  .all(requireFreshLogin)
  .get(async (req, res) => {
    res.json(await prisma.user.findUnique({ where: { id: Number(req.params.id) } }));
  })
  .delete(csrf, async (_req, res) => {
    res.status(204).end();
  });
