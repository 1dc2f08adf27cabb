import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The house's layers: core <- app <- adapters <- main (src/main.ts, src/assemble.ts). An import may only point down.
// core is the pure conversation (no stores, no HTTP); app is the use cases over ports it declares itself; adapters
// are LINE, the simulator, the console, the CLI and the stores; main composes them.
const up = (...layers) => layers.flatMap((l) => [`**/${l}/**`, `**/${l}`]);
const MAIN = ['**/main.js', '**/assemble.js'];
const layer = (files, message, forbidden, packages = []) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: forbidden, message },
          ...(packages.length ? [{ group: packages, message: `${message} (I/O libraries belong to the adapters)` }] : []),
        ],
      },
    ],
  },
});
const IO = ['ioredis', 'express', '@line/bot-sdk', 'helmet', 'cookie-parser', 'playwright-core'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'src/adapters/http/public/', 'scratch/', 'bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(
    ['src/core/**/*.ts'],
    'core imports only core: it is pure and knows nothing of the app, the adapters or main',
    [...up('app', 'adapters'), ...MAIN],
    [...IO, 'pino'],
  ),
  layer(['src/app/**/*.ts'], 'app imports core and app only: adapters plug into the ports the app declares', [...up('adapters'), ...MAIN], IO),
  layer(['src/adapters/**/*.ts'], 'adapters import core, app and adapters, never the composition root', MAIN),
  {
    // The simulator page's scripts run unbundled in the browser.
    files: ['src/adapters/simulator/public/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        localStorage: 'readonly',
        crypto: 'readonly',
        EventSource: 'readonly',
        requestAnimationFrame: 'readonly',
      },
    },
  },
);
