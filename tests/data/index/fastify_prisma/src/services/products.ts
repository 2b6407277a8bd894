import { prisma } from '../db.js';

export interface NewProduct {
  sku: string;
  name: string;
  priceCents: number;
}

export function listProducts() {
  return prisma.product.findMany({ orderBy: { name: 'asc' } });
}

export function getProduct(id: number) {
  return prisma.product.findUnique({ where: { id } });
}

export function createProduct(input: NewProduct) {
  return prisma.product.create({ data: input });
}
