/**
 * Module-resolution hook for the desktop e2e child process only (registered by
 * register.mjs through `node --import`): the bare specifier `electron` resolves
 * to the recorded stand-in instead of the npm package (which, outside Electron,
 * exports the path of a binary that cannot run here).
 */
export async function resolve(specifier, context, nextResolve) {
  // resolved through the next hooks (tsx's), so the TypeScript stand-in loads as any .ts module would
  if (specifier === 'electron') return nextResolve(new URL('./electron-main.ts', import.meta.url).href, context);
  return nextResolve(specifier, context);
}
