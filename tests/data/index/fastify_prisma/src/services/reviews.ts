import { prisma } from '../db.js';

export function reviewsFor(productId: number) {
  return prisma.review.findMany({ where: { productId } });
}

export function addReview(productId: number, rating: number, body: string) {
  return prisma.review.create({ data: { productId, rating, body } });
}
