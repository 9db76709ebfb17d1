import { fileURLToPath } from 'node:url';
import { frontEndConfig } from '../mf-shell/build/vite-config.mjs';

export default frontEndConfig({ dir: fileURLToPath(new URL('.', import.meta.url)), entries: { 'mf-numbers': 'src/mf-numbers.ts' } });
