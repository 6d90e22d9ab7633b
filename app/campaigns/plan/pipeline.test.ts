import { describe, expect, it } from "vitest";
import { runPipeline } from "./pipeline";

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe("runPipeline", () => {
  it("processes every page in order and never runs more writes than allowed", async () => {
    const written: number[] = [];
    let inFlight = 0;
    let most = 0;
    await runPipeline<number, number>({
      fetch: async (previous) => {
        await tick();
        const next = previous === null ? 0 : previous + 1;
        return next < 20 ? next : null;
      },
      process: (page) => page * 10,
      write: async (out) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await tick();
        written.push(out);
        inFlight--;
      },
      maxWrites: 2,
    });
    expect([...written].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect(most).toBe(2);
  });

  it("throws the first failure after the other writes and the prefetch settle", async () => {
    let settled = 0;
    const run = runPipeline<number, number>({
      fetch: async (previous) => {
        await tick();
        settled++;
        return previous === null ? 0 : previous < 5 ? previous + 1 : null;
      },
      process: (page) => page,
      write: async (out) => {
        await tick();
        if (out === 2) throw new Error("write 2 failed");
      },
      maxWrites: 2,
    });
    await expect(run).rejects.toThrow("write 2 failed");
    const after = settled;
    await tick();
    expect(settled).toBe(after);
  });

  it("stops on a failed fetch", async () => {
    await expect(
      runPipeline<number, number>({
        fetch: async (previous) => {
          if (previous === 1) throw new Error("read failed");
          return previous === null ? 0 : previous + 1;
        },
        process: (page) => page,
        write: async () => undefined,
        maxWrites: 1,
      }),
    ).rejects.toThrow("read failed");
  });
});
