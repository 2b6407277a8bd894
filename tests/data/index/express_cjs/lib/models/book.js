'use strict';
const { DataTypes } = require('sequelize');
const sequelize = require('../db');

const Book = sequelize.define(
  'Book',
  {
    title: { type: DataTypes.STRING, allowNull: false },
    isbn: { type: DataTypes.STRING, field: 'isbn_13' },
    authorId: DataTypes.INTEGER,
  },
  { tableName: 'books' }
);

module.exports = Book;
