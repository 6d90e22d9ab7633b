import { DEFAULT_THRESHOLDS, type SegmentThresholds } from "../../segments/rules";
import type { Checkout } from "../../sync/checkouts/checkout";
import type { ProductRow } from "../../sync/rows";
import type { FlowDefinition } from "../definition";
import type { ShopContext } from "../model";
import { catalogueOf } from "./catalogue";
import type { FlowFileCustomer } from "./customer-line";
import { happeningsOf } from "./happenings";
import type { FileOrder } from "./orders-file";
import { Replay, type ReplayResult } from "./replay";
import { ReplayWorld } from "./world";

// The files' history replayed: the shop as it stood at --from, then the window on the virtual
// clock. Pure: what was read comes in, the rows and counts go out.

export interface ReplayInput {
  shop: ShopContext;
  flows: readonly FlowDefinition[];
  thresholds?: SegmentThresholds;
  from: Date;
  until: Date;
  customers: readonly FlowFileCustomer[];
  orders: readonly FileOrder[];
  /** every version, in file order (those outside the window change nothing: a checkout enters a
   *  flow at a version in the window, and its facts are its latest version since) */
  checkouts: readonly Checkout[];
  /** null: no products file, every product in stock */
  products: readonly ProductRow[] | null;
}

export function replayFlows(input: ReplayInput): ReplayResult {
  const { from, until } = input;
  const catalogue = catalogueOf(input.products, input.orders, from);
  const world = new ReplayWorld(
    input.shop,
    input.thresholds ?? DEFAULT_THRESHOLDS,
    input.customers,
    catalogue,
  );
  for (const order of input.orders) if (order.shopifyCreatedAt < from) world.addOrder(order);
  // the scores the app holds at --from: a first scoring, no segment change
  world.rescoreAll(from);
  const happenings = happeningsOf({
    customers: input.customers,
    orders: input.orders,
    checkouts: input.checkouts,
    from,
    until,
  });
  return new Replay(world, input.flows).run(happenings, until);
}
