import { prisma } from './client';

export async function findUserByEmail(email: string) {
  return prisma.user.findUnique({ where: { email } });
}
