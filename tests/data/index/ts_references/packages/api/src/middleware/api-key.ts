import type { NextFunction, Request, Response } from 'express';

export function apiKeyAuth(req: Request, res: Response, next: NextFunction) {
  if (req.header('x-api-key') !== process.env.API_KEY) {
    return res.status(401).json({ error: 'invalid api key' });
  }
  next();
}
