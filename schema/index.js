'use strict';
const { join } = require('node:path');

/** Absolute path of the committed SDL. */
exports.schemaPath = join(__dirname, 'schema.graphql');
