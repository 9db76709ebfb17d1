// The package's main file runs a debug script when it thinks it is not required by a parent module.
declare module 'pdf-parse/lib/pdf-parse.js' {
  import parse = require('pdf-parse');
  export = parse;
}
