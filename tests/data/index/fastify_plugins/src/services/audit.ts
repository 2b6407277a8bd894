import { prisma } from '../db.js';

export function recentEvents(limit: number) {
  return prisma.auditEvent.findMany({ orderBy: { at: 'desc' }, take: limit });
}
