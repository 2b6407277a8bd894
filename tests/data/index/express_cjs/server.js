'use strict';
const express = require('express');
const booksRouter = require('./lib/routes/books');
const mountAuthors = require('./lib/routes/authors');

const app = express();
app.use(express.json());
app.use('/v1/books', booksRouter);
app.use('/v1/shelves', require('./lib/routes/shelves'));
mountAuthors(app);

if (require.main === module) {
  app.listen(8080);
}

module.exports = app;
