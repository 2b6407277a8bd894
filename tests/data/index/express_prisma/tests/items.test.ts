import request from 'supertest';
import { app } from '../src/app';

describe('items API', () => {
  it('lists active items', async () => {
    const res = await request(app).get('/api/items');
    expect(res.status).toBe(200);
  });

  it('returns one item', async () => {
    const id = 1;
    const res = await request(app).get(`/api/items/${id}`);
    expect(res.body.id).toBe(id);
  });
});
