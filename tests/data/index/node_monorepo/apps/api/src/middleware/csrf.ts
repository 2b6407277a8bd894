import type { NextFunction, Request, Response } from 'express';

export function csrf(req: Request, res: Response, next: NextFunction) {
  if (req.header('x-csrf-token') !== req.header('cookie')?.match(/csrf=([^;]+)/)?.[1]) {
    return res.status(403).json({ error: 'bad csrf token' });
  }
  next();
}
