module.exports = require('../mf-shell/build/jest/jest.config.base.cjs')(__dirname);
