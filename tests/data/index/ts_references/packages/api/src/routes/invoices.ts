import { Router } from 'express';
import { createInvoice, getInvoice } from '@core/invoices/service';
import { invoiceTotal } from '../../../core/lib/invoices/totals';

const invoices = Router();

invoices.get('/invoices/:id', async (req, res) => {
  const invoice = await getInvoice(req.params.id);
  if (!invoice) return res.status(404).end();
  res.json(invoice);
});

invoices.post('/invoices/preview', (req, res) => {
  res.json({ totalCents: invoiceTotal(req.body.lines) });
});

invoices.post('/invoices', async (req, res) => {
  res.status(201).json(await createInvoice(req.body.customerId, req.body.lines));
});

export default invoices;
