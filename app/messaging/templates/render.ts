import { LiquidError, type Liquid, type Template, type VariableSegments } from "liquidjs";
import { htmlEngine, plainEngine } from "./engine";
import type { MessageTemplate, RenderResult, TemplateError, TemplatePart } from "./message-template";
import { smsSegments } from "./sms-segments";
import { TEMPLATE_VARIABLE_KEYS, TemplateVariables, templateScope } from "./variables";

// Renders a template, or says where it is wrong: a message with any error is never sent. Pure.

/** Carriers join at most about 10 parts; beyond that a text arrives broken or not at all. */
export const MAX_SMS_SEGMENTS = 10;
// (an SMS is bounded by its part count instead)
const MAX_RENDERED = { subject: 998, html: 500_000, text: 500_000, sms: Infinity } as const;

interface Part {
  part: TemplatePart;
  source: string;
  engine: Liquid;
  /** marketing email: the part must carry the unsubscribe link */
  unsubscribe: boolean;
}

function partsOf(template: MessageTemplate): Part[] {
  if (template.channel === "sms") return [{ part: "sms", source: template.body, engine: plainEngine, unsubscribe: false }];
  return [
    { part: "subject", source: template.subject, engine: plainEngine, unsubscribe: false },
    { part: "html", source: template.html, engine: htmlEngine, unsubscribe: true },
    { part: "text", source: template.text, engine: plainEngine, unsubscribe: true },
  ];
}

function located(part: TemplatePart, e: unknown): TemplateError {
  if (LiquidError.is(e)) {
    const [line = 1, column = 1] = e.token.getPosition();
    // liquidjs appends ", line:3, col:5" to its message; we report those as fields
    const message = (e.originalError?.message ?? e.message).replace(/, line:\d+, col:\d+$/, "");
    return { part, line, column, message };
  }
  return { part, line: 1, column: 1, message: e instanceof Error ? e.message : String(e) };
}

const name = (segments: VariableSegments) =>
  segments.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`)).join("");
const isRoot = (k: unknown): k is keyof typeof TEMPLATE_VARIABLE_KEYS => typeof k === "string" && Object.hasOwn(TEMPLATE_VARIABLE_KEYS, k);

/** Whether a variable path can exist in TemplateVariables (dynamic parts like products[i] pass). */
function knownPath(segments: VariableSegments): boolean {
  const [root, key, sub] = segments;
  if (!isRoot(root)) return false;
  const keys = TEMPLATE_VARIABLE_KEYS[root];
  if (key === undefined || key === "size" || (typeof key !== "string" && typeof key !== "number")) return true;
  if (keys === "scalar") return false;
  if (root === "products") {
    if (key !== "first" && key !== "last" && typeof key !== "number") return false;
    return typeof sub !== "string" || sub === "size" || keys.some((k) => k === sub);
  }
  return keys.some((k) => k === key);
}

interface Checked {
  templates: Template[] | null;
  errors: TemplateError[];
}

/** Parse one part and check, without data, its variables and the unsubscribe link. */
function check(p: Part): Checked {
  let templates: Template[];
  try {
    templates = p.engine.parse(p.source);
  } catch (e) {
    return { templates: null, errors: [located(p.part, e)] };
  }
  const errors: TemplateError[] = [];
  const { globals } = p.engine.analyzeSync(templates, { partials: false });
  for (const variables of Object.values(globals)) {
    for (const v of variables) {
      if (!knownPath(v.segments)) {
        errors.push({ part: p.part, line: v.location.row, column: v.location.col, message: `undefined variable: ${name(v.segments)}` });
      }
    }
  }
  if (p.unsubscribe && !Object.hasOwn(globals, "unsubscribeUrl")) {
    errors.push({ part: p.part, line: 1, column: 1, message: "a marketing email must contain the unsubscribe link: add {{ unsubscribeUrl }}" });
  }
  return { templates, errors };
}

/** Parse and statically check every part of a template (for saving it): no errors means it may render. */
export function validateTemplate(template: MessageTemplate): TemplateError[] {
  return partsOf(template).flatMap((p) => check(p).errors);
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&#34;").replace(/'/g, "&#39;");

function afterRender(p: Part, out: string, variables: TemplateVariables): string | null {
  if (out.length > MAX_RENDERED[p.part]) return `the rendered ${p.part} is longer than ${MAX_RENDERED[p.part]} characters`;
  if (p.part === "subject" && out.trim() === "") return "the subject renders empty";
  if (p.part === "sms" && out.trim() === "") return "the SMS renders empty";
  if (p.unsubscribe) {
    const url = variables.unsubscribeUrl;
    const present = out.includes(url) || (p.part === "html" && out.includes(escapeHtml(url)));
    if (!present) return "the unsubscribe link is not in the rendered message (is {{ unsubscribeUrl }} inside a condition?)";
  }
  return null;
}

/**
 * Render every part of a template with the variables. Errors of parsing, of the static check and of
 * rendering are all collected, each located by part, line and column. Throws (a ZodError) only when
 * `variables` do not match TemplateVariables: that is the caller's bug, not the template's.
 */
export function renderMessage(
  template: MessageTemplate,
  variables: TemplateVariables,
  /** told each part before its work starts: the render pool names the part that ran out of time */
  onPart?: (part: TemplatePart) => void,
): RenderResult {
  const vars = TemplateVariables.parse(variables);
  const errors: TemplateError[] = [];
  const out: Partial<Record<TemplatePart, string>> = {};
  for (const p of partsOf(template)) {
    onPart?.(p.part);
    const checked = check(p);
    errors.push(...checked.errors);
    if (!checked.templates || checked.errors.length > 0) continue;
    let rendered: string;
    try {
      // a fresh scope per part: {% increment %} in the subject must not carry into the body
      const value: unknown = p.engine.renderSync(checked.templates, templateScope(vars));
      rendered = typeof value === "string" ? value : String(value);
    } catch (e) {
      errors.push(located(p.part, e));
      continue;
    }
    // a subject is one header line: line breaks (from data or template) become spaces
    if (p.part === "subject") rendered = rendered.replace(/\s*[\r\n]+\s*/g, " ").trim();
    const problem = afterRender(p, rendered, vars);
    if (problem) errors.push({ part: p.part, line: 1, column: 1, message: problem });
    else out[p.part] = rendered;
  }
  if (errors.length > 0) return { ok: false, errors };
  if (template.channel === "sms") {
    const body = out.sms ?? "";
    const sms = smsSegments(body);
    if (sms.segments > MAX_SMS_SEGMENTS) {
      return { ok: false, errors: [{ part: "sms", line: 1, column: 1, message: `the SMS is ${sms.segments} parts (${sms.encoding}); at most ${MAX_SMS_SEGMENTS}` }] };
    }
    return { ok: true, message: { channel: "sms", body, sms } };
  }
  return { ok: true, message: { channel: "email", subject: out.subject ?? "", html: out.html ?? "", text: out.text ?? "" } };
}

/** One set of sample variables a template must render with; `suffix` is added to its errors' messages. */
export interface SampleCase {
  variables: TemplateVariables;
  suffix: string;
}

/** Where a template fails to render with any of the cases, each distinct error once; empty when it renders for all. */
export function checkRenders(
  template: MessageTemplate,
  cases: readonly SampleCase[],
  onPart?: (part: TemplatePart) => void,
): TemplateError[] {
  const errors: TemplateError[] = [];
  const seen = new Set<string>();
  for (const { variables, suffix } of cases) {
    const result = renderMessage(template, variables, onPart);
    if (result.ok) continue;
    for (const e of result.errors) {
      const key = `${e.part}:${e.line}:${e.column}:${e.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      errors.push({ ...e, message: `${e.message}${suffix}` });
    }
  }
  return errors;
}
