'use strict';
const express = require('express');
const Book = require('../models/book');
const { requireUser } = require('../auth');

const router = express.Router();

async function listBooks(req, res) {
  const books = await Book.findAll({ order: [['title', 'ASC']] });
  res.json(books);
}

router.get('/', listBooks);
router.post('/', requireUser, async (req, res) => {
  const book = await Book.create(req.body);
  res.status(201).json(book);
});

module.exports = router;
