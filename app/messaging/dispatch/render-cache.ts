import type { Liquid } from "liquidjs";
import { htmlEngine, plainEngine } from "../templates/engine";
import type { MessageTemplate, RenderResult } from "../templates/message-template";
import { renderMessage } from "../templates/render";
import {
  messageVariables,
  type CustomerFacts,
  type SharedVariables,
  type TemplateProduct,
  type TemplateVariables,
} from "../templates/variables";

// Most messages of a campaign render the same text but for their unsubscribe link, and Liquid
// costs about a millisecond per email. So a template is rendered once per distinct value of the
// customer fields it reads, with a stand-in link of the real link's length, and each message gets
// that text with its own link put in. The stand-in is trusted only when rendering with a second,
// different stand-in gives the same text with that one in: a template that changes the link
// (truncate, upcase, url_encode…) fails the check and is rendered per message. A miss costs two
// renders, so while most of a template's messages miss (it greets each customer by name, in a store
// of many names) a miss renders once, directly, and is not kept. Pure (a memo).

type CustomerField = keyof TemplateVariables["customer"];
const FIELDS: readonly CustomerField[] = ["firstName", "lastName", "email", "locale"];

interface Entry {
  /** rendered with `standIn`, or null: render every message directly */
  result: RenderResult | null;
  standIn: string;
}

function parts(template: MessageTemplate): Array<[Liquid, string]> {
  if (template.channel === "sms") return [[plainEngine, template.body]];
  return [
    [plainEngine, template.subject],
    [htmlEngine, template.html],
    [plainEngine, template.text],
  ];
}

/** The customer fields a template reads; `money` reads the locale whatever the template says. */
export function customerFieldsRead(template: MessageTemplate): Set<CustomerField> {
  const read = new Set<CustomerField>(["locale"]);
  try {
    for (const [engine, source] of parts(template)) {
      const { globals } = engine.analyzeSync(engine.parse(source), { partials: false });
      for (const variable of globals.customer ?? []) {
        const field = FIELDS.find((f) => f === variable.segments[1]);
        // `customer` as a whole, or a computed field: it may read anything
        if (!field) return new Set(FIELDS);
        read.add(field);
      }
    }
  } catch {
    return new Set(FIELDS); // renderMessage reports the error
  }
  return read;
}

/** Whether a template reads `products` (then its text depends on the customer's products). */
export function productsRead(template: MessageTemplate): boolean {
  try {
    return parts(template).some(([engine, source]) => {
      const { globals } = engine.analyzeSync(engine.parse(source), { partials: false });
      return "products" in globals;
    });
  } catch {
    return true; // renderMessage reports the error
  }
}

function replaced(result: RenderResult, from: string, to: string): RenderResult {
  if (!result.ok) return result;
  const m = result.message;
  if (m.channel === "sms") return { ok: true, message: { ...m, body: m.body.replaceAll(from, to) } };
  return {
    ok: true,
    message: {
      channel: "email",
      subject: m.subject.replaceAll(from, to),
      html: m.html.replaceAll(from, to),
      text: m.text.replaceAll(from, to),
    },
  };
}

const same = (a: RenderResult, b: RenderResult) => JSON.stringify(a) === JSON.stringify(b);

/** How many renders of a template decide whether its misses are kept (see above). */
const WINDOW = 128;

interface Usage {
  calls: number;
  misses: number;
  /** the last window missed more than it hit: misses render directly */
  direct: boolean;
}

/** Renders for one campaign's variables: build one per campaign. */
export class RenderCache {
  private readonly ids = new WeakMap<MessageTemplate, number>();
  private readonly usage = new WeakMap<MessageTemplate, Usage>();
  private readonly reads = new WeakMap<MessageTemplate, Set<CustomerField>>();
  private readonly productReads = new WeakMap<MessageTemplate, boolean>();
  private readonly entries = new Map<string, Entry>();
  private nextId = 0;

  constructor(
    private readonly shared: SharedVariables,
    private readonly maxEntries = 2_000,
  ) {}

  /**
   * What `renderMessage` gives with the shared variables (and this customer's products, when given),
   * computed once per distinct text.
   */
  render(
    template: MessageTemplate,
    customer: CustomerFacts,
    url: string,
    products?: readonly TemplateProduct[],
  ): RenderResult {
    const variables = messageVariables(this.shared, customer, products ?? this.shared.products, url);
    const cut = url.lastIndexOf("/") + 1;
    const standIn = (c: string) => `${url.slice(0, cut)}${c.repeat(url.length - cut)}`;
    const key = JSON.stringify([
      this.idOf(template),
      url.slice(0, cut),
      url.length,
      [...this.readsOf(template)].map((field) => variables.customer[field] ?? null),
      this.readsProducts(template) ? variables.products : null,
    ]);
    const usage = this.usageOf(template);
    let entry = this.entries.get(key);
    if (!entry && usage.direct) {
      this.count(usage, true);
      return renderMessage(template, variables);
    }
    this.count(usage, !entry);
    if (!entry) {
      const first = standIn("q");
      const second = standIn("z");
      const a = renderMessage(template, { ...variables, unsubscribeUrl: first });
      const b = renderMessage(template, { ...variables, unsubscribeUrl: second });
      entry = { result: same(replaced(a, first, second), b) ? a : null, standIn: first };
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, entry);
    }
    return entry.result ? replaced(entry.result, entry.standIn, url) : renderMessage(template, variables);
  }

  private usageOf(template: MessageTemplate): Usage {
    let usage = this.usage.get(template);
    if (!usage) this.usage.set(template, (usage = { calls: 0, misses: 0, direct: false }));
    return usage;
  }

  private count(usage: Usage, miss: boolean): void {
    usage.calls += 1;
    if (miss) usage.misses += 1;
    if (usage.calls < WINDOW) return;
    usage.direct = usage.misses * 2 > usage.calls;
    usage.calls = 0;
    usage.misses = 0;
  }

  private idOf(template: MessageTemplate): number {
    let id = this.ids.get(template);
    if (id === undefined) this.ids.set(template, (id = this.nextId++));
    return id;
  }

  private readsProducts(template: MessageTemplate): boolean {
    let read = this.productReads.get(template);
    if (read === undefined) this.productReads.set(template, (read = productsRead(template)));
    return read;
  }

  private readsOf(template: MessageTemplate): Set<CustomerField> {
    let read = this.reads.get(template);
    if (!read) this.reads.set(template, (read = customerFieldsRead(template)));
    return read;
  }
}
