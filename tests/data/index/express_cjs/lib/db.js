'use strict';
const { Sequelize } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL || 'sqlite::memory:', { logging: false });

module.exports = sequelize;
