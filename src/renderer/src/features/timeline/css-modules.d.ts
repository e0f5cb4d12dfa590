// Vite bundles imported CSS; TypeScript only needs to know such imports exist
// (TS 6 checks side-effect imports). Harmless if the app also declares it.
declare module '*.css';
