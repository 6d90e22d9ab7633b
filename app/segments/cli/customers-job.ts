import { z } from "zod";

// The customers file read on a thread of its own while the main thread reads the orders: the job
// the worker gets, and its one answer — the ids in file order and the bad lines (the ids' memory
// moves to the main thread, it is not copied). Validated on both sides.

export const CustomersJob = z.object({ file: z.string(), strict: z.boolean() });
export type CustomersJob = z.infer<typeof CustomersJob>;

export const CustomersDone = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("done"),
    ids: z.instanceof(Float64Array),
    bad: z.array(z.object({ line: z.number(), reason: z.string() })),
  }),
  z.object({ kind: z.literal("unreadable"), message: z.string() }),
  z.object({ kind: z.literal("crashed"), message: z.string() }),
]);
export type CustomersDone = z.infer<typeof CustomersDone>;
