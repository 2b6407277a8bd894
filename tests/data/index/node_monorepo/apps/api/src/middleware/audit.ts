import type { NextFunction, Request, Response } from 'express';
import { logger } from '#logger';

export function auditLog(req: Request, res: Response, next: NextFunction) {
  res.on('finish', () => logger.info(`${req.method} ${req.originalUrl} ${res.statusCode}`));
  next();
}
