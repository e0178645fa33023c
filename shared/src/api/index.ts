export * from "./route.js";
export * from "./schemas.js";
export * from "./contract.js";
