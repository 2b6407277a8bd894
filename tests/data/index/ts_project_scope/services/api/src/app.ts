import express from 'express';
import { invoicesRouter } from '@/routes/invoices';

export const app = express();

app.use(express.json());
app.use('/invoices', invoicesRouter);
