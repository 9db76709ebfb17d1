import { execFileSync } from 'node:child_process';

/**
 * Reads a PDF's pages and text. The reader (pdf.js 1.10 inside pdf-parse) misreads some valid files inside a jest
 * sandbox after other code ran there ("bad XRef entry"; the same bytes read fine outside it), so it runs in a
 * process of its own.
 */
export function readPdf(pdf: Buffer): { numpages: number; text: string } {
  const script =
    "require('pdf-parse/lib/pdf-parse.js')(require('fs').readFileSync(0)).then((r) => process.stdout.write(JSON.stringify({ numpages: r.numpages, text: r.text })))";
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { input: pdf, cwd: __dirname, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as {
    numpages: number;
    text: string;
  };
}
