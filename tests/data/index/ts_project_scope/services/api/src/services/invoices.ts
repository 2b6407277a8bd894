import { prisma } from '@/db/client';

export async function listInvoices(customerId: string) {
  return prisma.invoice.findMany({ where: { customerId }, orderBy: { issuedAt: 'desc' } });
}

export async function issueInvoice(customerId: string, totalCents: number) {
  return prisma.invoice.create({ data: { customerId, totalCents } });
}
