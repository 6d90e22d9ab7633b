import type { FlowDefinition, SendStep } from "./definition";
import type { DiscountOffer, MessageContent, StepFacts } from "./model";

// What a send step's message shows, from the facts re-read before it: never a sold-out product,
// the discount only where the flow's policy allows it, the checkout's own recovery link. Pure.

export type ContentDecision =
  | { kind: "content"; content: MessageContent }
  /** sold_out: every cart item is sold out; no_products: nothing to show (an empty cart, no cross-sell left) */
  | { kind: "nothing_to_show"; reason: "sold_out" | "no_products" };

/** The discount of the flow's policy when this step offers it and the customer's segment (now) may have it. */
export function discountFor(flow: FlowDefinition, step: SendStep, facts: StepFacts): DiscountOffer | null {
  const segment = facts.customer.segment;
  const { offerTo, code, percentOff } = flow.discount;
  // The policy refuses vip already; checked again because a discount to a VIP costs real margin.
  if (!step.offerDiscount || code === null || segment === null || segment === "vip") return null;
  return offerTo.includes(segment) ? { code, percentOff } : null;
}

/**
 * A cart reminder drops sold-out items and goes out with the rest; when every item is sold out it is
 * skipped (`sold_out`) rather than sent to a checkout that cannot be completed, and the next
 * reminder looks at the stock again. A cross-sell shows in-stock products the customer never bought.
 */
export function messageContent(flow: FlowDefinition, step: SendStep, facts: StepFacts): ContentDecision {
  const inStock = (productId: string) => facts.inStock[productId] === true;
  let lines: MessageContent["lines"] = [];
  let soldOutLinesDropped = 0;
  let productIds: string[] = [];
  switch (step.products) {
    case "none":
      break;
    case "cart": {
      const all = facts.checkout?.lines ?? [];
      if (all.length === 0) return { kind: "nothing_to_show", reason: "no_products" };
      lines = all.filter((l) => inStock(l.productId));
      soldOutLinesDropped = all.length - lines.length;
      if (lines.length === 0) return { kind: "nothing_to_show", reason: "sold_out" };
      break;
    }
    case "cross_sell": {
      const bought = new Set(facts.orders.flatMap((o) => o.productIds));
      productIds = [...new Set(facts.crossSellProductIds)]
        .filter((id) => inStock(id) && !bought.has(id))
        .slice(0, step.maxProducts);
      if (productIds.length === 0) return { kind: "nothing_to_show", reason: "no_products" };
      break;
    }
    default: {
      const never: never = step.products;
      throw new Error(`unknown product choice ${String(never)}`);
    }
  }
  return {
    kind: "content",
    content: {
      template: step.template,
      lines,
      soldOutLinesDropped,
      productIds,
      discount: discountFor(flow, step, facts),
      recoveryUrl: facts.checkout?.recoveryUrl ?? null,
    },
  };
}
