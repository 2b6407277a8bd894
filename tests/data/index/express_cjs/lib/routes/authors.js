'use strict';
const Author = require('../models/author');

module.exports = function mountAuthors(app) {
  app.get('/authors/:id', async (req, res) => {
    res.json(await Author.findByPk(req.params.id));
  });
};
