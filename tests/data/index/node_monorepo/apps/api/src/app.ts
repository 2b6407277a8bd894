import express from 'express';
import helmet from 'helmet';
import rateLimit from 'express-rate-limit';
import { auditLog } from './middleware/audit.js';
import { authenticate, requireRole } from './middleware/auth.js';
import { requestId } from './middleware/request-id.js';
import { adminRouter } from './routes/admin.js';
import { billingRouter } from './routes/billing.js';
import { usersRouter } from './routes/users.js';

export const app = express();

app.use(helmet());
app.use(express.json());
app.use(requestId);

app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});

app.use('/users', usersRouter);

app.use(authenticate);
app.use('/admin', requireRole('admin'), adminRouter);
app.use('/billing', rateLimit({ windowMs: 60_000, limit: 30 }), billingRouter);
app.use('/reports', auditLog);

app.get('/reports/daily', async (_req, res) => {
  res.json({ rows: [] });
});

app.get('/me', (req, res) => {
  res.json(res.locals.user);
});
