import { describe, expect, it } from 'vitest';
import { app } from '../src/server.js';

describe('products', () => {
  it('lists products', async () => {
    const response = await app.inject({ method: 'GET', url: '/products/' });
    expect(response.statusCode).toBe(200);
  });
});
