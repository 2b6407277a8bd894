import { createInvoice } from '@invoicing/core';
import { demoLines } from '@scripts/fixtures';

await createInvoice('demo-customer', demoLines);
