'use strict';
const request = require('supertest');
const app = require('../server');

describe('books', function () {
  it('lists books by title', async function () {
    await request(app).get('/v1/books').expect(200);
  });
});
