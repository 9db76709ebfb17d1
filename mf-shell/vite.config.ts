import { fileURLToPath } from 'node:url';
import { frontEndConfig } from './build/vite-config.mjs';

export default frontEndConfig({
  dir: fileURLToPath(new URL('.', import.meta.url)),
  entries: { 'cabinet-shell': 'src/cabinet-shell.ts', kit: 'src/kit/index.ts' },
});
