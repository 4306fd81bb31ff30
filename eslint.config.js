// ESLint's and typescript-eslint's recommended rules, for every package, test, bench and example.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Cache directories the demo and examples make; not packages/core/src/cache, which is code.
  {
    ignores: [
      '**/dist/', '**/dist-*/', 'packages/cli/bundle/', '**/node_modules/',
      'cache/', 'examples/**/cache/', 'docs/', '.ci/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // Funes wraps and hashes any function, classes included: `Function` is the type of what it is given.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      'max-len': ['error', { code: 120 }],
      // Braces on every body that spans lines.
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['packages/ui/src/page/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Tests read untyped JSON and match printed text, colour codes and spacing included.
    files: ['**/*.test.ts', 'test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      'no-control-regex': 'off',
      'no-regex-spaces': 'off',
    },
  },
);
