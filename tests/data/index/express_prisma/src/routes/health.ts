import express from 'express';

export const healthRouter = express.Router();

healthRouter.get('/healthz', (_req, res) => {
  res.send('ok');
});
