import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { MessageTemplate, RenderResult, TemplateError, TemplatePart } from "./message-template";
import type { SampleCase } from "./render";
import { WorkerReply, type RenderTask } from "./render-jobs";
import type { TemplateVariables } from "./variables";

// Merchant templates render in a small pool of worker threads, never on the web process's event
// loop: a slow template (liquidjs stops a part after 250 ms, and saving renders every part twice)
// would otherwise stall every shop's requests. Workers are reused; a job that runs past the time
// limit has its worker terminated (that stops even a single long-running filter) and replaced,
// and the merchant is told which part ran out of time.

const WORKER_FILE = "app/messaging/templates/render-worker.server.ts";

/**
 * The worker's source file: next to this module when it runs from the sources (vitest, tsx), and
 * under the app's root when it runs from the Remix build (build/server/index.js). Workers load it
 * with tsx, as `npm start` loads server.ts.
 */
export function renderWorkerFile(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (let up = 0; up < 6; up++) {
    const candidate = join(dir, WORKER_FILE);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`the render worker (${WORKER_FILE}) was not found above ${fileURLToPath(from)}`);
}

export interface RenderPoolOptions {
  /** worker threads (default 2: the web process keeps a core) */
  size?: number;
  /** the longest one job (a render, or a save check of two renders) may take (default 3 s) */
  timeLimitMs?: number;
  workerFile?: string;
}

type Outcome =
  | { ok: true; reply: WorkerReply }
  | { ok: false; reason: "timeout"; part: TemplatePart | null }
  | { ok: false; reason: "failed"; message: string };

interface Job {
  id: number;
  task: RenderTask;
  done: (outcome: Outcome) => void;
}

interface Slot {
  worker: Worker;
  /** the worker's replies: a port of our own, so a timer can read a reply already sent */
  replies: MessagePort;
  ready: boolean;
  job?: Job & { part: TemplatePart | null; timer: NodeJS.Timeout };
}

const PARTS: readonly TemplatePart[] = ["subject", "html", "text", "sms"];
const asPart = (value: string): TemplatePart | null => PARTS.find((p) => p === value) ?? null;

export class RenderPool {
  private readonly size: number;
  readonly timeLimitMs: number;
  private readonly workerFile: string;
  private readonly slots = new Set<Slot>();
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: RenderPoolOptions = {}) {
    this.size = options.size ?? 2;
    this.timeLimitMs = options.timeLimitMs ?? 3_000;
    this.workerFile = options.workerFile ?? renderWorkerFile();
  }

  /** renderMessage in a worker; a job stopped for time comes back as an error of its part. */
  async render(template: MessageTemplate, variables: TemplateVariables): Promise<RenderResult> {
    const outcome = await this.run({ kind: "render", template, variables });
    if (outcome.ok && outcome.reply.type === "rendered") return outcome.reply.result;
    return { ok: false, errors: [this.problem(template, outcome)] };
  }

  /** checkRenders in a worker: where the template fails with any of the sample cases. */
  async check(template: MessageTemplate, cases: readonly SampleCase[]): Promise<TemplateError[]> {
    const outcome = await this.run({ kind: "check", template, cases: [...cases] });
    if (outcome.ok && outcome.reply.type === "checked") return outcome.reply.errors;
    return [this.problem(template, outcome)];
  }

  /** Workers alive now (idle or busy), for tests and logs. */
  get workers(): number {
    return this.slots.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0))
      job.done({ ok: false, reason: "failed", message: "the render pool closed" });
    await Promise.all([...this.slots].map((slot) => this.retire(slot, "the render pool closed")));
  }

  private problem(template: MessageTemplate, outcome: Outcome): TemplateError {
    const first: TemplatePart = template.channel === "sms" ? "sms" : "subject";
    if (outcome.ok) return { part: first, line: 1, column: 1, message: "the template could not be rendered" };
    if (outcome.reason === "timeout")
      return {
        part: outcome.part ?? first,
        line: 1,
        column: 1,
        message: `stopped after ${this.timeLimitMs / 1000} s: this part takes too long to render (a loop or filter over too much)`,
      };
    return {
      part: first,
      line: 1,
      column: 1,
      message: `the template could not be rendered (${outcome.message})`,
    };
  }

  private run(task: RenderTask): Promise<Outcome> {
    if (this.closed)
      return Promise.resolve({ ok: false, reason: "failed", message: "the render pool closed" });
    return new Promise((done) => {
      this.waiting.push({ id: this.nextId++, task, done });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.waiting.length === 0) return;
      if (slot.ready && !slot.job) this.start(slot, this.waiting.shift());
    }
    const starting = [...this.slots].filter((s) => !s.ready).length;
    if (this.waiting.length > starting && this.slots.size < this.size) this.spawn();
  }

  private start(slot: Slot, job: Job | undefined): void {
    if (!job) return;
    const timer = setTimeout(() => {
      // A stalled event loop runs an overdue timer before the messages waiting behind it: read
      // what the worker has already sent, and call it a timeout only if its answer is not there.
      for (let m = receiveMessageOnPort(slot.replies); m; m = receiveMessageOnPort(slot.replies))
        this.heard(slot, m.message);
      if (slot.job?.id !== job.id) return;
      const part = slot.job.part;
      slot.job = undefined;
      job.done({ ok: false, reason: "timeout", part });
      void this.retire(slot, "over time").then(() => this.dispatch());
    }, this.timeLimitMs);
    slot.job = { ...job, part: null, timer };
    slot.worker.ref();
    slot.replies.ref();
    slot.worker.postMessage({ id: job.id, task: job.task });
  }

  private finish(slot: Slot, outcome: Outcome): void {
    const job = slot.job;
    if (!job) return;
    clearTimeout(job.timer);
    slot.job = undefined;
    slot.worker.unref();
    slot.replies.unref();
    job.done(outcome);
    this.dispatch();
  }

  private spawn(): void {
    const { port1: replies, port2 } = new MessageChannel();
    const worker = new Worker(this.workerFile, {
      execArgv: ["--import", "tsx"],
      workerData: { replies: port2 },
      transferList: [port2],
    });
    worker.unref();
    const slot: Slot = { worker, replies, ready: false };
    this.slots.add(slot);
    replies.on("message", (message: unknown) => this.heard(slot, message));
    replies.unref();
    const lost = (why: string) => {
      if (!this.slots.has(slot)) return;
      this.release(slot, why);
      this.dispatch();
    };
    worker.on("error", (error) => lost(error.message));
    worker.on("exit", (code) => lost(`the render worker exited (${code})`));
  }

  private heard(slot: Slot, message: unknown): void {
    const reply = WorkerReply.safeParse(message);
    if (!reply.success) return this.finish(slot, { ok: false, reason: "failed", message: "unreadable reply" });
    const data = reply.data;
    if (data.type === "ready") {
      slot.ready = true;
      this.dispatch();
    } else if (data.type === "part") {
      if (slot.job?.id === data.id) slot.job.part = asPart(data.part);
    } else if (slot.job?.id === data.id) {
      this.finish(
        slot,
        data.type === "failed" ? { ok: false, reason: "failed", message: data.message } : { ok: true, reply: data },
      );
    }
  }

  /** Takes the slot out of the pool; its job, if any, fails with `why`. */
  private release(slot: Slot, why: string): void {
    this.slots.delete(slot);
    const job = slot.job;
    if (!job) return;
    clearTimeout(job.timer);
    slot.job = undefined;
    job.done({ ok: false, reason: "failed", message: why });
  }

  private async retire(slot: Slot, why: string): Promise<void> {
    this.release(slot, why);
    slot.replies.close();
    await slot.worker.terminate();
  }
}

let pool: RenderPool | undefined;

/** The process's render pool, started on first use. */
export function getRenderPool(): RenderPool {
  pool ??= new RenderPool();
  return pool;
}
