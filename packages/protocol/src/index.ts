export * from './errors.ts';
export * from './manifest.ts';
export * from './bridge.ts';
export * from './events.ts';
export * from './app-messages.ts';
export * from './chat.ts';
export * from './canvas.ts';
export * from './terminal.ts';
