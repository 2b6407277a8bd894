import type { Item } from '@prisma/client';
import { prisma } from '@lib';

export interface ItemInput {
  name: string;
  priceCents: number;
  warehouseId?: number;
}

export async function listItems(): Promise<Item[]> {
  return prisma.item.findMany({ where: { status: 'ACTIVE' }, orderBy: { createdAt: 'desc' } });
}

export async function getItem(id: number): Promise<Item | null> {
  return prisma.item.findUnique({ where: { id }, include: { warehouse: true } });
}

export async function createItem(input: ItemInput): Promise<Item> {
  if (input.priceCents < 0) {
    throw new Error('price must not be negative');
  }
  return prisma.item.create({ data: input });
}
