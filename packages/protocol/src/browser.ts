/*
 * The protocol's plain values and logic, without Zod: what a browser bundle imports (the shell's
 * first load). Types come from the main entry, whose schemas stay on the server and in tests.
 */
export * from './app-request.ts';
export * from './canvas-ops.ts';
export * from './shell-prefs-defaults.ts';
export * from './csp.ts';
