import express from 'express';
import { findCustomer } from '@invoicing/core';

export const customers = express.Router();

customers.get('/:email', async (req, res) => {
  const customer = await findCustomer(req.params.email);
  return customer ? res.json(customer) : res.status(404).end();
});
