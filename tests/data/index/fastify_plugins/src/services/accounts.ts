import { prisma } from '../db.js';

export function findAccount(id: string) {
  return prisma.account.findUnique({ where: { id } });
}

export function openAccount(email: string) {
  return prisma.account.create({ data: { email } });
}
