import express from 'express';
import helmet from 'helmet';
import { requestId } from './middleware/request-id.js';
import { usersRouter } from './routes/users.js';

export const app = express();

app.use(helmet());
app.use(express.json());
app.use(requestId);
app.use('/users', usersRouter);
