// One-off import of the 2019 CSV export; run by hand with `npx tsx`, outside any project.
import { readFileSync } from 'node:fs';
import { prisma } from '@/db/client';

export async function importCsv(path: string): Promise<number> {
  const rows = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  for (const row of rows) {
    const [email] = row.split(',');
    await prisma.customer.create({ data: { email } });
  }
  return rows.length;
}
