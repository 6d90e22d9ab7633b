import { z } from "zod";
import type { GeneratedStore } from "../generator/store";
import type { CustomerRecord, EmailConsent, OptInLevel, SmsConsent } from "../generator/types";
import { bulkView, type BulkOperations } from "../bulk/operations";
import { customerView, legacyId, type ViewContext } from "./views";
import type { MarketingRecords } from "./marketing";
import { marketingMutations } from "./marketing-views";
import { metafieldMutations } from "./metafield-mutations";
import { customerCreateMutation } from "./customer-create";
import { customerUpdateMutation } from "./customer-update";

/** One flowTriggerReceive call as the shop received it, with what it answered. */
export interface FlowTriggerCall {
  handle: string | null;
  payload: unknown;
  /** the deprecated form: the whole trigger as a JSON string */
  body: string | null;
  at: string;
  userErrors: Array<{ field: string[]; message: string }>;
}

/** Shopify Flow refuses a trigger payload this large or larger. */
export const MAX_FLOW_PAYLOAD_BYTES = 50_000;

export interface MutationDeps {
  store: GeneratedStore;
  bulk: BulkOperations;
  now(): Date;
  customerUpdated(record: CustomerRecord): void;
  /** customerCreate made this customer (customers/create goes out) */
  customerCreated(record: CustomerRecord): void;
  /** stagedUploadsCreate, answered by the emulator's bucket */
  stageUploads(args: unknown): unknown;
  /** the scopes of the token that asked; undefined: every scope the app has */
  scopes?: readonly string[];
  /** a flowTriggerReceive call, recorded for the tests to read */
  flowTriggered(call: FlowTriggerCall): void;
  /** the shop's external marketing activities and their engagements */
  marketing: MarketingRecords;
}

const optIn = z.enum(["SINGLE_OPT_IN", "CONFIRMED_OPT_IN", "UNKNOWN"]).nullish();
const emailInput = z.object({
  input: z.object({
    customerId: z.string(),
    emailMarketingConsent: z.object({ marketingState: z.string(), marketingOptInLevel: optIn, consentUpdatedAt: z.string().nullish() }),
  }),
});
const smsInput = z.object({
  input: z.object({
    customerId: z.string(),
    smsMarketingConsent: z.object({ marketingState: z.string(), marketingOptInLevel: optIn, consentUpdatedAt: z.string().nullish() }),
  }),
});
const tagsInput = z.object({ id: z.string(), tags: z.array(z.string()) });
// States a client may set; the others are read-only in Shopify.
const SETTABLE = ["SUBSCRIBED", "UNSUBSCRIBED", "PENDING"] as const;
const isSettable = (s: string): s is (typeof SETTABLE)[number] => (SETTABLE as readonly string[]).includes(s);

function customerIndex(store: GeneratedStore, gid: string): number | undefined {
  return /^gid:\/\/shopify\/Customer\/\d+$/.test(gid) ? store.customerIndexOf(legacyId(gid)) : undefined;
}

export function mutationRoot(deps: MutationDeps): Record<string, unknown> {
  const { store } = deps;
  const userError = (field: string[], message: string, code = "INVALID") => ({ field, message, code });

  const consent = (kind: "email" | "sms") => (args: unknown, ctx: ViewContext) => {
    void ctx;
    const parsed = kind === "email" ? emailInput.parse(args).input : smsInput.parse(args).input;
    const wanted = "emailMarketingConsent" in parsed ? parsed.emailMarketingConsent : parsed.smsMarketingConsent;
    const field = kind === "email" ? "emailMarketingConsent" : "smsMarketingConsent";
    const i = customerIndex(store, parsed.customerId);
    if (i === undefined) return { customer: null, userErrors: [userError(["input", "customerId"], "Customer not found")] };
    const current = store.customer(i);
    if (kind === "email" && !current.email) return { customer: null, userErrors: [userError(["input", field], "Customer must have an email address")] };
    if (kind === "sms" && !current.phone) return { customer: null, userErrors: [userError(["input", field], "Customer must have a phone number")] };
    if (!isSettable(wanted.marketingState)) {
      return { customer: null, userErrors: [userError(["input", field, "marketingState"], `Marketing state ${wanted.marketingState} cannot be set`)] };
    }
    const at = deps.now();
    const previous = kind === "email" ? current.emailMarketingConsent : current.smsMarketingConsent;
    const level: OptInLevel = wanted.marketingOptInLevel ?? previous?.marketingOptInLevel ?? "SINGLE_OPT_IN";
    const consentUpdatedAt = wanted.consentUpdatedAt ?? at.toISOString();
    const updated =
      kind === "email"
        ? store.updateCustomer(i, { emailMarketingConsent: { marketingState: wanted.marketingState, marketingOptInLevel: level, consentUpdatedAt } satisfies EmailConsent }, at)
        : store.updateCustomer(i, {
            smsMarketingConsent: {
              marketingState: wanted.marketingState,
              marketingOptInLevel: level,
              consentUpdatedAt,
              consentCollectedFrom: current.smsMarketingConsent?.consentCollectedFrom ?? "OTHER",
            } satisfies SmsConsent,
          }, at);
    deps.customerUpdated(updated);
    return { customer: customerView(store, updated), userErrors: [] };
  };

  const tags = (add: boolean) => (args: unknown) => {
    const { id, tags: list } = tagsInput.parse(args);
    const i = customerIndex(store, id);
    if (i === undefined) {
      const known = /^gid:\/\/shopify\/(Order|Product)\//.test(id);
      return { node: null, userErrors: [{ field: ["id"], message: known ? `not emulated: tags on ${id}` : "Resource not found" }] };
    }
    const current = store.customer(i).tags;
    const names = list.flatMap((t) => t.split(",")).map((t) => t.trim()).filter((t) => t.length > 0);
    const next = add ? [...new Set([...current, ...names])] : current.filter((t) => !names.includes(t));
    const updated = store.updateCustomer(i, { tags: next.sort() }, deps.now());
    deps.customerUpdated(updated);
    return { node: customerView(store, updated), userErrors: [] };
  };

  return {
    ...marketingMutations(deps.marketing),
    ...metafieldMutations(store, deps.now),
    customerCreate: customerCreateMutation(store, deps.now, deps.customerCreated),
    customerUpdate: customerUpdateMutation(store, deps.now, deps.customerUpdated),
    customerEmailMarketingConsentUpdate: consent("email"),
    customerSmsMarketingConsentUpdate: consent("sms"),
    tagsAdd: tags(true),
    tagsRemove: tags(false),
    bulkOperationRunQuery: (args: unknown) => {
      const { query } = z.object({ query: z.string() }).parse(args);
      const { op, userErrors } = deps.bulk.runQuery(query, deps.scopes);
      return { bulkOperation: op ? bulkView(op) : null, userErrors };
    },
    bulkOperationRunMutation: async (args: unknown) => {
      const { mutation, stagedUploadPath } = z.object({ mutation: z.string(), stagedUploadPath: z.string() }).parse(args);
      const { op, userErrors } = await deps.bulk.runMutation(mutation, stagedUploadPath);
      return { bulkOperation: op ? bulkView(op) : null, userErrors };
    },
    stagedUploadsCreate: (args: unknown) => deps.stageUploads(args),
    flowTriggerReceive: (args: unknown) => {
      const { handle, payload, body } = z
        .object({ handle: z.string().nullish(), payload: z.unknown().optional(), body: z.string().nullish() })
        .parse(args);
      const userErrors: FlowTriggerCall["userErrors"] = [];
      if (!handle && !body) userErrors.push({ field: ["handle"], message: "A trigger handle is required" });
      const size = Buffer.byteLength(body ?? JSON.stringify(payload ?? null), "utf8");
      if (size >= MAX_FLOW_PAYLOAD_BYTES)
        userErrors.push({ field: [body ? "body" : "payload"], message: `Payload must be less than ${MAX_FLOW_PAYLOAD_BYTES} bytes` });
      deps.flowTriggered({ handle: handle ?? null, payload: payload ?? null, body: body ?? null, at: deps.now().toISOString(), userErrors });
      return { userErrors };
    },
    bulkOperationCancel: (args: unknown) => {
      const { id } = z.object({ id: z.string() }).parse(args);
      const { op, userErrors } = deps.bulk.cancel(id);
      return { bulkOperation: op ? bulkView(op) : null, userErrors };
    },
  };
}
