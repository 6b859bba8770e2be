// Lint rules, including the layer/import rules of DESIGN.md:
// - `electron` only in src/main/shells/electron and src/preload;
// - node:dgram|net|tls only in transport/ adapters;
// - src/shared imports no node:, electron or react;
// - sip, sdp and media never import the engine or shells; layers only point down.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const socketModules = ['dgram', 'node:dgram', 'net', 'node:net', 'tls', 'node:tls'];
const noElectron = { name: 'electron', message: 'electron only in src/main/shells/electron and src/preload' };
const socketPaths = socketModules.map((name) => ({
  name,
  message: 'sockets only in transport/ adapters (DESIGN.md)',
}));
const upperLayers = ['**/engine/**', '**/shells/**', '**/platform/**', '**/renderer/**'];
/** What a shell may not import: the cores, and the engine's folders past its index. */
const shellsMayNot = ['**/main/sip/**', '**/main/media/**', '**/main/sdp/**', '../**/sip/**', '../**/media/**', '../**/sdp/**', '../**/engine/*/**'];

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'coverage', 'test-results', 'test/fixtures'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [noElectron, ...socketPaths] }],
    },
  },
  {
    files: ['src/renderer/**', 'test/unit/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'electron', '**/main/**', '**/preload/**'], message: 'renderer imports only src/shared and its own folder (DESIGN.md)' }] },
      ],
    },
  },
  {
    files: ['src/main/**/transport/**', 'src/main/shells/**', 'src/main/platform/**', 'test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    // One engine: shells reach the cores only through the engine's index (DESIGN.md).
    files: ['src/main/shells/**'],
    ignores: ['src/main/shells/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron], patterns: [{ group: shellsMayNot, message: 'shells import the engine through src/main/engine/index.ts only' }] },
      ],
    },
  },
  {
    files: ['src/main/shells/electron/**', 'src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: shellsMayNot, message: 'shells import the engine through src/main/engine/index.ts only' }] },
      ],
    },
  },
  {
    files: ['src/main/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron, ...socketPaths], patterns: [{ group: ['**/shells/**', '**/renderer/**'], message: 'the engine never imports a shell (DESIGN.md)' }] },
      ],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'electron', 'react', '**/main/**'], message: 'src/shared is pure TS (DESIGN.md)' }] },
      ],
    },
  },
  {
    files: ['src/main/sip/**', 'src/main/sdp/**', 'src/main/media/**'],
    ignores: ['src/main/**/transport/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...socketPaths],
          patterns: [{ group: upperLayers, message: 'sip/sdp/media import only shared (DESIGN.md)' }],
        },
      ],
    },
  },
  {
    files: ['src/main/sip/**'],
    ignores: ['src/main/sip/transport/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...socketPaths],
          patterns: [{ group: [...upperLayers, '**/main/sdp/**', '**/main/media/**', '../**/sdp/**', '../**/media/**'], message: 'sip imports only shared: it knows no SDP or media (DESIGN.md)' }],
        },
      ],
    },
  },
  {
    files: ['src/main/sip/transport/**', 'src/main/media/transport/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron], patterns: [{ group: upperLayers, message: 'sip/sdp/media import only shared (DESIGN.md)' }] },
      ],
    },
  },
);
