// Season playbooks and the campaign drafts they propose. Pure.
export * from "./draft";
export * from "./playbooks";
export * from "./send-template";
export * from "./season";
