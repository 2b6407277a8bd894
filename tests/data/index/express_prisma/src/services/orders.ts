import { prisma } from '@/lib/prisma';

export const listOrders = async (itemId: number) =>
  prisma.order.findMany({ where: { itemId } });
