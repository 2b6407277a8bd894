'use strict';
const { Router } = require('express');

const shelves = Router();

shelves.get('/', (req, res) => {
  res.json([{ id: 1, name: 'Fiction' }]);
});

module.exports = shelves;
