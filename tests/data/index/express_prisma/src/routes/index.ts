import { Router } from 'express';
import itemsRouter from './items';

const api = Router();

api.use('/items', itemsRouter);

export default api;
