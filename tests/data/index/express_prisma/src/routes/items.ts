import { Router } from 'express';
import * as items from '../controllers/items';
import { createItem } from '@/services/items';
import { listOrders } from '../services';
import { requireApiKey } from '../middleware/auth';

const router = Router();

router.get('/', items.index);
router.get('/:id', items.show);
router.post('/', requireApiKey, async (req, res) => {
  const item = await createItem(req.body);
  res.status(201).json(item);
});
router
  .route('/:id/orders')
  .get(async (req, res) => {
    res.json(await listOrders(Number(req.params.id)));
  });

export default router;
