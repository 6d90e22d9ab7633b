import { END, type FlowStep, type Jump } from "./steps";

// A flow's steps as one flat program: nested branch arms laid out in order, every step with the
// index of the step after it. Every jump goes forward, so a run through a flow always ends: a flow
// cannot loop on its own. Step indexes are stable for a definition and name steps in message keys.
// Pure.

type PathPart = string | number;

export interface Instruction {
  index: number;
  step: FlowStep;
  /** where the step sits in the definition: ["2", "then", 0] */
  path: readonly PathPart[];
  /** the step after this one; null: the flow ends. A branch goes to `arms` instead. */
  next: number | null;
  arms: { then: number | null; else: number | null } | null;
}

export interface ProgramIssue {
  path: PathPart[];
  message: string;
}

interface Placed {
  step: FlowStep;
  path: PathPart[];
}

function place(steps: readonly FlowStep[], path: PathPart[], out: Placed[]): void {
  steps.forEach((step, i) => {
    out.push({ step, path: [...path, i] });
    if (step.kind === "branch") {
      if (Array.isArray(step.then)) place(step.then, [...path, i, "then"], out);
      if (Array.isArray(step.else)) place(step.else, [...path, i, "else"], out);
    }
  });
}

/** Flattens the steps; `issues` (duplicate ids, jumps to unknown or earlier steps) say where. */
export function compileSteps(steps: readonly FlowStep[]): {
  instructions: Instruction[];
  issues: ProgramIssue[];
} {
  const placed: Placed[] = [];
  place(steps, [], placed);
  const issues: ProgramIssue[] = [];
  const indexOf = new Map<FlowStep, number>();
  const byId = new Map<string, number>();
  placed.forEach(({ step, path }, index) => {
    indexOf.set(step, index);
    if (byId.has(step.id))
      issues.push({ path: [...path, "id"], message: `Step id "${step.id}" is used twice` });
    else byId.set(step.id, index);
  });
  const instructions: Instruction[] = placed.map(({ step, path }, index) => ({
    index,
    step,
    path,
    next: null,
    arms: null,
  }));

  const link = (list: readonly FlowStep[], continuation: number | null): void => {
    list.forEach((step, i) => {
      const index = indexOf.get(step) ?? -1;
      const instruction = instructions[index];
      const following = list[i + 1];
      const after = following ? (indexOf.get(following) ?? null) : continuation;
      if (!instruction) return;
      instruction.next = after;
      if (step.kind !== "branch") return;
      const arm = (a: FlowStep[] | Jump, name: "then" | "else"): number | null => {
        if (Array.isArray(a)) {
          link(a, after);
          const first = a[0];
          return first ? (indexOf.get(first) ?? null) : after;
        }
        if (a.goto === END) return null;
        const target = byId.get(a.goto);
        if (target === undefined) {
          issues.push({
            path: [...instruction.path, name, "goto"],
            message: `No step has the id "${a.goto}"`,
          });
          return null;
        }
        if (target <= index) {
          issues.push({
            path: [...instruction.path, name, "goto"],
            message: `Jumps must go forward: "${a.goto}" comes before this branch (a flow must not loop)`,
          });
          return null;
        }
        return target;
      };
      instruction.arms = { then: arm(step.then, "then"), else: arm(step.else, "else") };
    });
  };
  link(steps, null);
  if (!placed.some((p) => p.step.kind === "send"))
    issues.push({ path: [], message: "A flow needs at least one send step" });
  return { instructions, issues };
}

const cache = new WeakMap<readonly FlowStep[], Instruction[]>();

/** The program of a parsed flow's steps (remembered per steps array: decisions ask for it often). */
export function programFor(steps: readonly FlowStep[]): Instruction[] {
  let program = cache.get(steps);
  if (!program) {
    const compiled = compileSteps(steps);
    if (compiled.issues.length > 0)
      throw new Error(`invalid flow steps: ${compiled.issues.map((i) => i.message).join("; ")}`);
    program = compiled.instructions;
    cache.set(steps, program);
  }
  return program;
}
