/**
 * ESLint (flat config): typescript-eslint with type information, and only rules the code follows. Prettier does
 * the layout (`npm run format`); `npm run lint` runs both checks.
 */
import tseslint from 'typescript-eslint'
import importX from 'eslint-plugin-import-x'

/** The action's edge: the only modules of src/ that may use the GitHub toolkit (SPEC §7, README "Library"). */
const ACTION_EDGE = ['src/index.ts', 'src/action/**/*.ts']

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.peers/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'import-x/first': 'error',
      'import-x/no-duplicates': 'error',
      'import-x/order': [
        'error',
        {
          groups: [
            ['builtin', 'external'],
            ['parent', 'sibling', 'index']
          ],
          'newlines-between': 'never'
        }
      ],
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'no-var': 'error'
    }
  },
  {
    files: ['src/**/*.ts'],
    ignores: ACTION_EDGE,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['@actions/*'], message: 'The library runs without the GitHub toolkit: only the action edge (src/action/) uses it.' }]
        }
      ]
    }
  }
)
