import type { Flow, Prisma, PrismaClient } from "@prisma/client";
import type { MessageTemplate, TemplateError } from "../messaging/templates/message-template";
import type { RenderPool } from "../messaging/templates/render-pool.server";
import { getRenderPool } from "../messaging/templates/render-pool.server";
import type { ShopInfo } from "../messaging/templates/variables";
import { BUILT_IN_FLOW_KEYS, BUILT_IN_FLOWS, type BuiltInFlowKey } from "./built-in";
import { flowIdFor } from "./ids";
import {
  DEFAULT_FLOW_SETTINGS,
  parseFlowSettings,
  withPeakPreset,
  type FlowSetting,
  type FlowSettings,
} from "./settings";
import { flowSettingFromForm } from "./setting-form";
import {
  defaultFlowTemplate,
  flowCheckCases,
  flowTemplateStep,
  readSavedFlowTemplates,
  type FlowTemplateChannel,
  type SavedFlowTemplates,
} from "./templates";

// A shop's built-in flows as stored in Flow rows (one per shop and flow, id flowIdFor). A flow
// without a row is off with the default settings: flows start OFF in the app until the merchant
// turns them on. `status` (on | off | paused) is the truth about running; the stored setting's
// `enabled` mirrors it for whoever reads the JSON alone. Each write is one statement, so a toggle
// and a settings save at the same moment both land. Every query is scoped by shop.

export const FLOW_STATUSES = ["on", "off", "paused"] as const;
export type FlowStatus = (typeof FLOW_STATUSES)[number];

export interface ShopFlow {
  id: string;
  key: BuiltInFlowKey;
  name: string;
  status: FlowStatus;
  /** why the app paused it on its own; null otherwise */
  pausedReason: string | null;
  /** `enabled` is `status === "on"` */
  setting: FlowSetting;
  /** the merchant's templates (null: none saved) */
  templates: SavedFlowTemplates | null;
  /** the stored setting no longer validates, so the defaults are used (the page says so) */
  settingReset: boolean;
}

export type FlowStore = Pick<PrismaClient, "flow" | "$executeRaw">;

const isKey = (key: unknown): key is BuiltInFlowKey => BUILT_IN_FLOW_KEYS.some((k) => k === key);
export const isBuiltInFlowKey = isKey;
const statusOf = (s: string): FlowStatus => FLOW_STATUSES.find((x) => x === s) ?? "off";

function toShopFlow(shop: string, key: BuiltInFlowKey, row: Flow | undefined): ShopFlow {
  const status = row ? statusOf(row.status) : "off";
  const parsed = row?.setting == null ? null : parseFlowSettings({ [key]: row.setting });
  const stored = parsed?.ok ? parsed.settings[key] : DEFAULT_FLOW_SETTINGS[key];
  return {
    id: flowIdFor(shop, key),
    key,
    name: BUILT_IN_FLOWS[key].definition.name,
    status,
    pausedReason: status === "paused" ? (row?.pausedReason ?? null) : null,
    setting: { ...stored, enabled: status === "on" },
    templates: readSavedFlowTemplates(row?.templates),
    settingReset: parsed !== null && !parsed.ok,
  };
}

/** Every built-in flow of the shop, in BUILT_IN_FLOW_KEYS order. */
export async function readShopFlows(prisma: Pick<PrismaClient, "flow">, shop: string): Promise<ShopFlow[]> {
  const rows = await prisma.flow.findMany({ where: { shop } });
  return BUILT_IN_FLOW_KEYS.map((key) =>
    toShopFlow(
      shop,
      key,
      rows.find((r) => r.key === key),
    ),
  );
}

export async function readShopFlow(
  prisma: Pick<PrismaClient, "flow">,
  shop: string,
  key: BuiltInFlowKey,
): Promise<ShopFlow> {
  const row = await prisma.flow.findUnique({ where: { shop_key: { shop, key } } });
  return toShopFlow(shop, key, row ?? undefined);
}

/** The shop's FlowSettings as the flows run them: a flow is enabled only while its status is on. */
export async function shopFlowSettings(
  prisma: Pick<PrismaClient, "flow">,
  shop: string,
): Promise<FlowSettings> {
  const flows = await readShopFlows(prisma, shop);
  const settings: FlowSettings = { ...DEFAULT_FLOW_SETTINGS };
  for (const flow of flows) settings[flow.key] = flow.setting;
  return settings;
}

const json = (value: unknown) => JSON.stringify(value);
const at = (now: Date) => now.toISOString();

/** Turns a flow on or off (on again clears the reason it was paused). */
export async function setFlowStatus(
  prisma: FlowStore,
  shop: string,
  key: BuiltInFlowKey,
  status: "on" | "off",
  now: Date = new Date(),
): Promise<ShopFlow> {
  const setting = { ...DEFAULT_FLOW_SETTINGS[key], enabled: status === "on" };
  await prisma.$executeRaw`
    INSERT INTO "Flow" (id, shop, key, status, setting, "updatedAt")
    VALUES (${flowIdFor(shop, key)}, ${shop}, ${key}, ${status}, ${json(setting)}::jsonb, ${at(now)}::timestamp)
    ON CONFLICT (shop, key) DO UPDATE SET
      status = EXCLUDED.status,
      "pausedReason" = NULL,
      setting = jsonb_set(
        CASE WHEN jsonb_typeof("Flow".setting) = 'object' THEN "Flow".setting ELSE EXCLUDED.setting END,
        '{enabled}', to_jsonb(EXCLUDED.status = 'on')),
      "updatedAt" = EXCLUDED."updatedAt"`;
  return readShopFlow(prisma, shop, key);
}

/** Stores a valid setting (its `enabled` follows the flow's status, not the argument). */
export async function saveFlowSetting(
  prisma: FlowStore,
  shop: string,
  key: BuiltInFlowKey,
  setting: FlowSetting,
  now: Date = new Date(),
): Promise<ShopFlow> {
  const off = { ...setting, enabled: false };
  await prisma.$executeRaw`
    INSERT INTO "Flow" (id, shop, key, status, setting, "updatedAt")
    VALUES (${flowIdFor(shop, key)}, ${shop}, ${key}, 'off', ${json(off)}::jsonb, ${at(now)}::timestamp)
    ON CONFLICT (shop, key) DO UPDATE SET
      setting = EXCLUDED.setting || jsonb_build_object('enabled', "Flow".status = 'on'),
      "updatedAt" = EXCLUDED."updatedAt"`;
  return readShopFlow(prisma, shop, key);
}

export type SaveSettingResult =
  { ok: true; flow: ShopFlow } | { ok: false; fieldErrors: Record<string, string> };

/** The Flows page's settings form of one flow: nothing is stored unless every field is valid. */
export async function saveFlowSettingFromForm(
  prisma: FlowStore,
  shop: string,
  key: BuiltInFlowKey,
  form: FormData,
  now: Date = new Date(),
): Promise<SaveSettingResult> {
  const current = await readShopFlow(prisma, shop, key);
  const parsed = flowSettingFromForm(key, current.setting, form);
  if (!parsed.ok) return parsed;
  return { ok: true, flow: await saveFlowSetting(prisma, shop, key, parsed.setting, now) };
}

/** The peak preset: the abandoned checkout's first message 30 minutes after the last checkout activity. */
export async function applyPeakPreset(
  prisma: FlowStore,
  shop: string,
  now: Date = new Date(),
): Promise<ShopFlow> {
  const current = await readShopFlow(prisma, shop, "abandoned_checkout");
  const settings = withPeakPreset({ ...DEFAULT_FLOW_SETTINGS, abandoned_checkout: current.setting });
  return saveFlowSetting(prisma, shop, "abandoned_checkout", settings.abandoned_checkout, now);
}

export type TemplateCheck = Pick<RenderPool, "check">;

export type SaveTemplateResult =
  { ok: true; flow: ShopFlow; isDefault: boolean } | { ok: false; message: string; errors: TemplateError[] };

const sameTemplate = (a: MessageTemplate, b: MessageTemplate | undefined) =>
  b !== undefined &&
  (a.channel === "sms"
    ? b.channel === "sms" && a.body === b.body
    : b.channel === "email" && a.subject === b.subject && a.html === b.html && a.text === b.text);

/**
 * Saves the merchant's template of one step and channel when it renders with the flow's sample
 * data and for a customer with nothing optional (errors by part, line and column otherwise). The
 * default's own text saved back drops the saved one instead.
 */
export async function saveFlowTemplate(
  prisma: FlowStore,
  shop: string,
  key: BuiltInFlowKey,
  templateKey: string,
  template: MessageTemplate,
  info: ShopInfo,
  options: { render?: TemplateCheck; now?: Date } = {},
): Promise<SaveTemplateResult> {
  const step = flowTemplateStep(templateKey);
  const channel = template.channel;
  if (!step || step.flowKey !== key)
    return {
      ok: false,
      message: `The ${BUILT_IN_FLOWS[key].definition.name} flow has no step "${templateKey}"`,
      errors: [],
    };
  if (!step.channels.includes(channel))
    return {
      ok: false,
      message: `This step does not send by ${channel === "sms" ? "SMS" : "email"}`,
      errors: [],
    };
  if (sameTemplate(template, defaultFlowTemplate(templateKey, channel))) {
    return {
      ok: true,
      flow: await resetFlowTemplate(prisma, shop, key, templateKey, channel, options.now),
      isDefault: true,
    };
  }
  const errors = await (options.render ?? getRenderPool()).check(template, flowCheckCases(templateKey, info));
  if (errors.length > 0) return { ok: false, message: "The template does not render; not saved.", errors };
  const now = options.now ?? new Date();
  const entry: Prisma.InputJsonValue = { [templateKey]: { [channel]: template } };
  await prisma.$executeRaw`
    INSERT INTO "Flow" (id, shop, key, status, templates, "updatedAt")
    VALUES (${flowIdFor(shop, key)}, ${shop}, ${key}, 'off', ${json(entry)}::jsonb, ${at(now)}::timestamp)
    ON CONFLICT (shop, key) DO UPDATE SET
      templates = CASE WHEN jsonb_typeof("Flow".templates) = 'object'
        THEN "Flow".templates || jsonb_build_object(${templateKey}::text,
          CASE WHEN jsonb_typeof("Flow".templates -> ${templateKey}::text) = 'object'
            THEN ("Flow".templates -> ${templateKey}::text) ELSE '{}'::jsonb END
          || jsonb_build_object(${channel}::text, ${json(template)}::jsonb))
        ELSE EXCLUDED.templates END,
      "updatedAt" = EXCLUDED."updatedAt"`;
  return { ok: true, flow: await readShopFlow(prisma, shop, key), isDefault: false };
}

/** Drops the merchant's template of one step and channel: the default is used again. */
export async function resetFlowTemplate(
  prisma: FlowStore,
  shop: string,
  key: BuiltInFlowKey,
  templateKey: string,
  channel: FlowTemplateChannel,
  now: Date = new Date(),
): Promise<ShopFlow> {
  await prisma.$executeRaw`
    UPDATE "Flow" SET templates = templates #- ARRAY[${templateKey}::text, ${channel}::text], "updatedAt" = ${at(now)}::timestamp
    WHERE shop = ${shop} AND key = ${key} AND jsonb_typeof(templates) = 'object'`;
  return readShopFlow(prisma, shop, key);
}
