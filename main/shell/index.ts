// The Electron shell's own logic, as pure functions tested in Node (test/unit/shell*.test.ts).
// Nothing here imports electron: main/electron/ only calls these.
export * from './menu';
export * from './origin';
export * from './protocol';
export * from './security';
export * from './window';
