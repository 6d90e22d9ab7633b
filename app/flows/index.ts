// Flows as data and their decisions (pure). The scheduler (app, durable timers) and the replay CLI
// (virtual clock) call the same functions: enter on an event, decideStep when a step's wakeAt comes.
export {
  BUILT_IN_FLOW_KEYS,
  BUILT_IN_FLOWS,
  PEAK_FIRST_MESSAGE_MINUTES,
  type BuiltInFlow,
  type BuiltInFlowKey,
  type EditableDelay,
} from "./built-in";
export { exitReason, flowChannels, optedOut, orderedSinceTrigger } from "./conditions";
export { discountFor, messageContent, type ContentDecision } from "./content";
export { decideStep, type HoldReason, type StepDecision } from "./decide";
export {
  describeFlowIssues,
  EXIT_CONDITIONS,
  FlowDefinition,
  parseFlowDefinition,
  PRODUCT_CHOICES,
  TRIGGER_EVENTS,
  type FlowDefinitionInput,
  type FlowIssue,
  type FlowStep,
  type TriggerEvent,
} from "./definition";
export {
  enter,
  NOT_ENTERED_REASONS,
  STALE_EVENT_MS,
  triggerEntityOf,
  type EntryDecision,
  type EntryHistory,
  type EntryState,
  type NotEnteredReason,
  type PastEnrollment,
} from "./enter";
export { enrollmentIdFor, flowIdFor, isFlowHoldout, stepMessageKey } from "./ids";
export * from "./model";
export { compileSteps, programFor, type Instruction } from "./program";
export { FLOW_CAP_MAX_DELAY_MS } from "./schedule";
export {
  applyFlowSettings,
  DEFAULT_FLOW_SETTINGS,
  FlowSettings,
  parseFlowSettings,
  shopFlows,
  withPeakPreset,
  type FlowSetting,
} from "./settings";
export { advance, flowTimeZone, nextLocalTime } from "./timing";
export {
  DEFAULT_FLOW_TEMPLATES,
  FLOW_TEMPLATE_KEYS,
  FLOW_TEMPLATE_STEPS,
  flowCheckCases,
  flowTemplateFor,
  flowTemplateStep,
  flowTemplateSteps,
  readSavedFlowTemplates,
  sampleFlowVariables,
  SavedFlowTemplates,
  type FlowTemplateChannel,
  type FlowTemplateKey,
  type FlowTemplateStep,
} from "./templates";
