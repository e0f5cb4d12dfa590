/** The http room's part of the contract (composed in api.ts). */
export const httpMethods = {};
