import express from 'express';
import helmet from 'helmet';
import { apiKeyAuth } from '~/middleware/api-key';
import { requestLog } from '~/middleware/request-log';
import invoices from '~/routes/invoices';
import { customers } from '~/routes/customers';

export const app = express();

app.use(helmet());
app.use(express.json());
app.use(requestLog);
app.use(invoices);
app.use(apiKeyAuth);
app.use('/customers', customers);

app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});
