// Runs a TypeScript entry point as its own process, compiled on the fly the way jest compiles the tests:
// `node src/test/run-ts.cjs src/main.ts args…`.
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const swc = require(require.resolve('@swc/core', { paths: [__dirname] }));

require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true } },
    module: { type: 'commonjs', ignoreDynamic: true },
  });
  module._compile(code, filename);
};
process.argv.splice(1, 1);
require(resolve(process.argv[1]));
