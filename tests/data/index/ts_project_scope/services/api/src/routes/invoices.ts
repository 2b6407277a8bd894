import { Router } from 'express';
import { issueInvoice, listInvoices } from '@/services/invoices';

export const invoicesRouter = Router();

invoicesRouter.get('/:customerId', async (req, res) => {
  res.json(await listInvoices(req.params.customerId));
});

invoicesRouter.post('/', async (req, res) => {
  const invoice = await issueInvoice(req.body.customerId, req.body.totalCents);
  res.status(201).json(invoice);
});
