import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

export function requestId(req: Request, res: Response, next: NextFunction) {
  res.setHeader('x-request-id', req.header('x-request-id') ?? randomUUID());
  next();
}
