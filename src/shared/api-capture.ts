/** The capture room's part of the contract (composed in api.ts). */
export const captureMethods = {};
