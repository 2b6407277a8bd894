import type { NextFunction, Request, Response } from 'express';
import { verifyToken, type Claims } from '@acme/auth';

export function authenticate(req: Request, res: Response, next: NextFunction) {
  try {
    res.locals.user = verifyToken(req.header('authorization') ?? '');
    next();
  } catch {
    res.status(401).json({ error: 'unauthorized' });
  }
}

export function requireRole(role: Claims['role']) {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (res.locals.user?.role !== role) {
      return res.status(403).json({ error: 'forbidden' });
    }
    next();
  };
}

export function requireFreshLogin(req: Request, res: Response, next: NextFunction) {
  const issued = Number(req.header('x-token-issued-at') ?? 0);
  if (Date.now() - issued > 5 * 60_000) {
    return res.status(401).json({ error: 'login again' });
  }
  next();
}
