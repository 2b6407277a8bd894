import { db } from 'db';

export async function findCustomer(email: string) {
  return db.customer.findUnique({ where: { email } });
}
