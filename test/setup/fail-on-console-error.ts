import { afterEach, beforeEach, vi, type MockInstance } from "vitest";

// An unexpected console.error is a bug we would otherwise miss in green test output.
// A test that expects one asserts on it and then calls `mockClear()` on the spy.
let spy: MockInstance<typeof console.error>;

beforeEach(() => {
  spy = vi.spyOn(console, "error");
});

afterEach(() => {
  const calls = spy.mock.calls;
  spy.mockRestore();
  if (calls.length > 0) {
    throw new Error(`console.error was called:\n${calls.map((c) => c.map(String).join(" ")).join("\n")}`);
  }
});
