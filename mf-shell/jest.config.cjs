module.exports = require('./build/jest/jest.config.base.cjs')(__dirname);
