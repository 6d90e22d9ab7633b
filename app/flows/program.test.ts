import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILT_IN_FLOWS } from "./built-in";
import type { FlowStep } from "./definition";
import { compileSteps, programFor } from "./program";

const send = (id: string): FlowStep => ({
  id,
  kind: "send",
  channels: ["email"],
  channelMode: "first",
  template: "t",
  products: "none",
  maxProducts: 3,
  offerDiscount: false,
});
const wait = (id: string): FlowStep => ({ id, kind: "wait", minutes: 1 });

describe("compileSteps", () => {
  it("lays the welcome flow out in order, the branch's arms pointing at their targets", () => {
    const program = programFor(BUILT_IN_FLOWS.welcome.definition.steps);
    expect(program.map((i) => [i.index, i.step.id, i.next, i.arms])).toEqual([
      [0, "welcome", 1, null],
      [1, "second_welcome_wait", 2, null],
      // then: { goto: "end" } ends the flow; else: the list that starts at 3
      [2, "ordered_yet", null, { then: null, else: 3 }],
      [3, "second_welcome", null, null],
    ]);
    expect(program[3]?.path).toEqual([2, "else", 0]);
  });

  it("continues after the branch at the end of an arm, and an empty arm goes straight on", () => {
    const steps: FlowStep[] = [
      {
        id: "b",
        kind: "branch",
        if: { is: "has_sms_consent" },
        then: [send("s1"), wait("w1")],
        else: [],
      },
      send("s2"),
      {
        id: "b2",
        kind: "branch",
        if: { is: "has_email_consent" },
        then: { goto: "s3" },
        else: { goto: "end" },
      },
      send("s_skipped"),
      send("s3"),
    ];
    const { instructions, issues } = compileSteps(steps);
    expect(issues).toEqual([]);
    expect(instructions.map((i) => [i.step.id, i.next, i.arms])).toEqual([
      ["b", 3, { then: 1, else: 3 }],
      ["s1", 2, null],
      ["w1", 3, null],
      ["s2", 4, null],
      ["b2", 5, { then: 6, else: null }],
      ["s_skipped", 6, null],
      ["s3", null, null],
    ]);
  });

  // Random nested flows: however branches nest and jump, every pointer goes forward, so no flow loops.
  const tree: fc.Memo<FlowStep[]> = fc.memo((depth) =>
    fc
      .array(
        depth <= 1
          ? fc.oneof(fc.constant("send"), fc.constant("wait"))
          : fc.oneof(fc.constant("send"), fc.constant("wait"), fc.tuple(tree(depth - 1), tree(depth - 1))),
        { maxLength: 4 },
      )
      .map((items) =>
        items.map((item, i): FlowStep => {
          if (item === "send") return send(`s${i}`);
          if (item === "wait") return wait(`w${i}`);
          return { id: `b${i}`, kind: "branch", if: { is: "has_sms_consent" }, then: item[0], else: item[1] };
        }),
      ),
  );
  it("property: every next and arm points to a later step", () => {
    fc.assert(
      fc.property(tree(4), (steps) => {
        // ids repeat across nesting levels in this generator: give each a unique one
        let n = 0;
        const renamed = (list: FlowStep[]): FlowStep[] =>
          list.map((s): FlowStep => {
            const id = `x${n++}`;
            if (s.kind !== "branch") return { ...s, id };
            return {
              ...s,
              id,
              then: Array.isArray(s.then) ? renamed(s.then) : s.then,
              else: Array.isArray(s.else) ? renamed(s.else) : s.else,
            };
          });
        const { instructions } = compileSteps(renamed(steps));
        for (const i of instructions) {
          for (const target of [i.next, i.arms?.then ?? null, i.arms?.else ?? null])
            if (target !== null) expect(target).toBeGreaterThan(i.index);
        }
      }),
    );
  });
});
