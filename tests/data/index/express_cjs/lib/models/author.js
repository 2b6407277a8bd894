'use strict';
const { Model, DataTypes } = require('sequelize');
const sequelize = require('../db');
const Book = require('./book');

class Author extends Model {
  get displayName() {
    return this.name.toUpperCase();
  }
}

Author.init(
  {
    name: DataTypes.STRING,
    born: DataTypes.DATEONLY,
  },
  { sequelize, modelName: 'Author' }
);

Author.hasMany(Book, { foreignKey: 'authorId' });
Book.belongsTo(Author);

module.exports = Author;
