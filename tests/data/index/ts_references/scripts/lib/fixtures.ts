import type { InvoiceLine } from '@invoicing/core';

export const demoLines: InvoiceLine[] = [{ quantity: 2, unitCents: 1250 }];
