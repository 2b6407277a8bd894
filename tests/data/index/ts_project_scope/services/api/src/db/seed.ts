import { prisma } from '@/db/client';
import { customers } from '@fixtures/customers';

async function main(): Promise<void> {
  for (const customer of customers) {
    await prisma.customer.upsert({
      where: { email: customer.email },
      update: {},
      create: customer,
    });
  }
}

main().finally(() => prisma.$disconnect());
