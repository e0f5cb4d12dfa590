/** The tcp room's part of the contract (composed in api.ts). */
export const tcpMethods = {};
