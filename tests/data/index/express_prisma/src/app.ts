import express from 'express';
import api from './routes';
import { healthRouter } from './routes/health';

export const app = express();

app.use(express.json());
app.use(healthRouter);
app.use('/api', api);
