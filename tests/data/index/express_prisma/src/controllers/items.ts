import type { Request, Response } from 'express';
import { getItem, listItems } from '@/services';

export async function index(_req: Request, res: Response) {
  res.json(await listItems());
}

export async function show(req: Request, res: Response) {
  const item = await getItem(Number(req.params.id));
  if (!item) {
    return res.status(404).json({ error: 'not found' });
  }
  res.json(item);
}
