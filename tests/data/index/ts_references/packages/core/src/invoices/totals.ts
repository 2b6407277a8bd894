export interface InvoiceLine {
  quantity: number;
  unitCents: number;
}

export function invoiceTotal(lines: InvoiceLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitCents, 0);
}
