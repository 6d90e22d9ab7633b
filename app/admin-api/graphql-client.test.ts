import { describe, expect, it } from "vitest";
import { AdminApiError, callAdmin, throttleWaitMs } from "./graphql-client.server";

const respond = (body: unknown) => Promise.resolve(new Response(JSON.stringify(body)));
const throttled = {
  errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
  extensions: { cost: { requestedQueryCost: 60, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 10, restoreRate: 100 } } },
};

describe("callAdmin", () => {
  it("waits (requested - available) / restoreRate on THROTTLED, then returns data", async () => {
    const answers = [throttled, { data: { shop: { name: "x" } } }];
    const sleeps: number[] = [];
    const data = await callAdmin({ graphql: () => respond(answers.shift()) }, "query { shop { name } }", undefined, {
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(data).toEqual({ shop: { name: "x" } });
    expect(sleeps).toEqual([500]);
  });

  it("reads THROTTLED from the error shopify-app-remix throws", async () => {
    let first = true;
    const sleeps: number[] = [];
    const admin = {
      graphql: () => {
        if (!first) return respond({ data: { ok: true } });
        first = false;
        return Promise.reject(Object.assign(new Error("Throttled"), { body: { errors: { graphQLErrors: throttled.errors }, extensions: throttled.extensions } }));
      },
    };
    await expect(callAdmin(admin, "q", undefined, { sleep: async (ms) => void sleeps.push(ms) })).resolves.toEqual({ ok: true });
    expect(sleeps).toEqual([500]);
  });

  it("throws a typed error with the GraphQL errors", async () => {
    const error = await callAdmin({ graphql: () => respond({ errors: [{ message: "Field 'x' doesn't exist" }] }) }, "q").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect((error as AdminApiError).errors[0]?.message).toBe("Field 'x' doesn't exist");
  });

  it("gives up after maxThrottleRetries", async () => {
    await expect(callAdmin({ graphql: () => respond(throttled) }, "q", undefined, { sleep: async () => undefined, maxThrottleRetries: 2 })).rejects.toThrow("Throttled");
  });

  it("bounds the wait", () => {
    expect(throttleWaitMs(60, { maximumAvailable: 2000, currentlyAvailable: 100, restoreRate: 100 }, 0)).toBe(50);
    expect(throttleWaitMs(undefined, undefined, 3)).toBe(8000);
    expect(throttleWaitMs(1e9, { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 1 }, 0)).toBe(60_000);
  });
});
