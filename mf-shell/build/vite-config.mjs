import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { PRODUCTION_DEFINES, isShared, sharedPackageOf } from './shared.mjs';

/** Fails the build when a module of a shared library was bundled instead of being left to the import map. */
export function sharedLibrariesStayExternal() {
  return {
    name: 'cabinet:shared-libraries-stay-external',
    generateBundle(_options, bundle) {
      const leaked = new Set();
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        for (const id of output.moduleIds ?? Object.keys(output.modules ?? {})) {
          const name = sharedPackageOf(id);
          if (name) leaked.add(`${name} (in ${output.fileName})`);
        }
      }
      if (leaked.size > 0) this.error(`shared libraries were bundled; they must come from the import map: ${[...leaked].join(', ')}`);
    },
  };
}

/**
 * The Vite configuration of a Cabinet front-end package: a plain ES library build with content-hashed
 * file names, the shared libraries external, and the section's name and version compiled in.
 * `SECTION_OUT_DIR` overrides the output folder, `SECTION_VERSION` the version (CI pipelines set it).
 */
export function frontEndConfig({ dir, entries, extraExternal = [] }) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const section = pkg.name.replace(/^@cabinet\//, '');
  const version = process.env.SECTION_VERSION || pkg.version;
  return defineConfig({
    root: dir,
    configFile: false,
    logLevel: 'warn',
    plugins: [vue({ features: { optionsAPI: false, prodDevtools: false } }), sharedLibrariesStayExternal()],
    define: {
      ...PRODUCTION_DEFINES,
      __SECTION_NAME__: JSON.stringify(section),
      __SECTION_VERSION__: JSON.stringify(version),
    },
    resolve: {
      alias: { '@cabinet/kit/styles': join(dir, '..', 'mf-shell', 'src', 'kit', 'styles') },
    },
    build: {
      outDir: process.env.SECTION_OUT_DIR || join(dir, 'dist'),
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
      manifest: true,
      cssCodeSplit: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      lib: { entry: entries, formats: ['es'] },
      rollupOptions: {
        external: (id) => isShared(id) || extraExternal.includes(id),
        output: {
          entryFileNames: '[name].[hash].js',
          chunkFileNames: 'chunks/[name].[hash].js',
          assetFileNames: '[name].[hash][extname]',
        },
      },
    },
  });
}
