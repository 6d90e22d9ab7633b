// The season calendar: what the playbooks, the CLI and the UI import. Pure.
export * from "../../messaging/rules/local-dates";
export * from "./events";
export * from "./holidays";
export * from "./issues";
export * from "./retail";
export * from "./season";
export * from "./shipping";
