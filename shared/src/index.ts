export * from "./errors.js";
export * from "./model/ids.js";
export * from "./model/people.js";
export * from "./model/plan.js";
export * from "./model/records.js";
export * from "./standards/index.js";
export * from "./templates.js";
export * from "./ladder.js";
