import { z } from "zod";

// The customers file read on a thread of its own while the main thread reads the orders: the job
// the worker gets, and its one answer — the ids in file order and the bad lines (the ids' memory
// moves to the main thread, it is not copied). Validated on both sides.

export const CustomersJob = z.object({ file: z.string(), strict: z.boolean() });
export type CustomersJob = z.infer<typeof CustomersJob>;

/** The worker failed unexpectedly (a bug): its stack, for the error the command ends with. */
export const Crashed = z.object({ kind: z.literal("crashed"), message: z.string() });

export const CustomersDone = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("done"),
    ids: z.instanceof(Float64Array),
    bad: z.array(z.object({ line: z.number(), reason: z.string() })),
  }),
  z.object({ kind: z.literal("unreadable"), message: z.string() }),
  Crashed,
]);
export type CustomersDone = z.infer<typeof CustomersDone>;

// Then, once the main thread knows the currency, the worker may take the orders file's second part
// (from a line start to the end), with its own line numbers from 1; or it is told it is done.
export const OrdersJob = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("orders"),
    file: z.string(),
    from: z.number(),
    to: z.number(),
    currency: z.string(),
    asOfMs: z.number(),
  }),
  z.object({ kind: z.literal("exit") }),
]);
export type OrdersJob = z.infer<typeof OrdersJob>;

/** A bad line of the part; a repeated id names the line of its first (both counted within the part). */
const PartBad = z.object({
  line: z.number(),
  reason: z.string().nullable(),
  firstLine: z.number().nullable(),
});
export type PartBad = z.infer<typeof PartBad>;

export const OrdersDone = z.object({
  kind: z.literal("orders-done"),
  /** per customer slot, as the main thread's table has them (the arrays may be longer) */
  frequency: z.instanceof(Uint32Array),
  discounted: z.instanceof(Uint32Array),
  monetary: z.instanceof(Float64Array),
  lastMs: z.instanceof(Float64Array),
  firstMs: z.instanceof(Float64Array),
  orders: z.number(),
  counted: z.number(),
  unknownCustomer: z.number(),
  bad: z.array(PartBad),
  /** a customer's total in this part left the exact range */
  overflow: z.boolean(),
  /** the part's order ids: all ascending, and the smallest (null when none) */
  ascending: z.boolean(),
  firstId: z.number().nullable(),
});
export type OrdersDone = z.infer<typeof OrdersDone>;
