import { createHash } from "node:crypto";
import type { RenderResult } from "../../messaging/templates/message-template";

// Rendered previews of a campaign page, by what they were rendered from (the template and the
// variables). The page reloads its data every few seconds while a campaign sends; each reload asks
// for the same previews, and these come from here instead of the render pool. Least recently used
// first out.

export class PreviewCache {
  private readonly entries = new Map<string, RenderResult>();

  constructor(private readonly capacity = 500) {}

  static keyOf(template: unknown, variables: unknown): string {
    return createHash("sha256").update(JSON.stringify([template, variables])).digest("base64url");
  }

  get(key: string): RenderResult | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  set(key: string, result: RenderResult): void {
    this.entries.delete(key);
    this.entries.set(key, result);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
