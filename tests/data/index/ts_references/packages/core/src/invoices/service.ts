import { db } from 'db';
import { invoiceTotal, type InvoiceLine } from './totals';

export async function createInvoice(customerId: string, lines: InvoiceLine[]) {
  return db.invoice.create({ data: { customerId, totalCents: invoiceTotal(lines) } });
}

export async function getInvoice(id: string) {
  return db.invoice.findUnique({ where: { id } });
}
