import { describe, expect, it } from "vitest";
import { buildPlaybook } from "../playbooks";
import {
  audienceFor,
  canonicalText,
  defaultDefinition,
  parseDefinition,
  storedDefinition,
} from "./definition";

const [vip] = buildPlaybook({ playbook: "cyber-week", year: 2026, countryCode: "US" });
if (!vip) throw new Error("no draft");

describe("campaign definition", () => {
  it("round-trips through its stored form, the holdout share kept in the draft only", () => {
    const definition = defaultDefinition({ ...vip, holdoutShare: 0.2 });
    const stored = storedDefinition(definition);
    expect(stored.audience).not.toHaveProperty("holdoutShare");
    const parsed = parseDefinition(JSON.parse(JSON.stringify(stored)));
    expect(parsed).toEqual({ ok: true, definition });
    if (parsed.ok) expect(parsed.definition.audience.holdoutShare).toBe(0.2);
  });

  it("names every invalid field of a stored definition", () => {
    expect(parseDefinition({ draft: { ...vip, sends: [] }, audience: {} })).toMatchObject({
      ok: false,
      issues: [{ path: "draft.sends" }],
    });
    expect(parseDefinition({ draft: vip, audience: { caps: { email: -1 } } })).toMatchObject({
      ok: false,
      issues: [{ path: "audience.caps.email" }],
    });
    expect(parseDefinition({ draft: vip, audience: {}, extra: 1 })).toMatchObject({ ok: false });
    expect(parseDefinition(null)).toMatchObject({ ok: false });
  });

  it("takes the holdout share from the draft whatever the audience input says", () => {
    const audience = audienceFor(vip, { holdoutShare: 0.4, caps: { sms: 48 } });
    expect(audience).toMatchObject({
      ok: true,
      audience: { holdoutShare: vip.holdoutShare, caps: { sms: 48, email: 16 } },
    });
    expect(audienceFor(vip, "nope")).toMatchObject({ ok: false });
  });

  it("compares definitions by content, not key order", () => {
    expect(canonicalText({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalText({ a: [{ c: 3, d: 2 }], b: 1 }));
  });
});
