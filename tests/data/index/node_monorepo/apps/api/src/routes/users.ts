import { Router } from 'express';
import { findUserByEmail, prisma } from '@acme/db';
import { verifyToken } from '@acme/auth';
import { hashPassword } from '@acme/auth/password';
import { slugify } from '@acme/shared/strings';
import { authenticate } from '../middleware/auth.js';

export const usersRouter = Router();

usersRouter.get('/:email', async (req, res) => {
  const user = await findUserByEmail(req.params.email);
  if (!user) {
    return res.status(404).json({ error: 'not found' });
  }
  res.json(user);
});

usersRouter.post('/', authenticate, async (req, res) => {
  const claims = verifyToken(req.header('authorization') ?? '');
  const user = await prisma.user.create({
    data: {
      email: req.body.email,
      handle: slugify(req.body.name),
      passwordHash: await hashPassword(req.body.password),
      invitedBy: claims.sub,
    },
  });
  res.status(201).json(user);
});
