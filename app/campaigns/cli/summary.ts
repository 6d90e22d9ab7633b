import { CHANNELS, SKIP_REASONS, type Channel, type PlanRow, type SkipReason } from "../audience";

// Counts of the plan for standard error: per campaign, customers and holdout; per channel, rows,
// messages to send, holdout and each skip reason. Pure; counts only, never a customer.

interface ChannelCounts {
  rows: number;
  send: number;
  reasons: Map<SkipReason, number>;
}

interface CampaignCounts {
  customers: number;
  heldOut: number;
  channels: Map<Channel, ChannelCounts>;
}

export class PlanSummary {
  private readonly campaigns = new Map<string, CampaignCounts>();
  rows = 0;

  /** The rows of one customer in one campaign (all carry the same holdout flag). */
  add(campaign: string, rows: readonly PlanRow[]): void {
    let c = this.campaigns.get(campaign);
    if (!c) {
      c = { customers: 0, heldOut: 0, channels: new Map() };
      this.campaigns.set(campaign, c);
    }
    c.customers++;
    if (rows[0]?.holdout) c.heldOut++;
    for (const row of rows) {
      this.rows++;
      let ch = c.channels.get(row.channel);
      if (!ch) {
        ch = { rows: 0, send: 0, reasons: new Map() };
        c.channels.set(row.channel, ch);
      }
      ch.rows++;
      if (row.skipReason === null) ch.send++;
      else ch.reasons.set(row.skipReason, (ch.reasons.get(row.skipReason) ?? 0) + 1);
    }
  }

  /** Share of customers held out per campaign, in campaign order of first appearance. */
  holdoutShares(): Map<string, number> {
    return new Map([...this.campaigns].map(([k, c]) => [k, c.customers === 0 ? 0 : c.heldOut / c.customers]));
  }

  lines(): string[] {
    const out: string[] = [];
    for (const [campaign, c] of this.campaigns) {
      const share = c.customers === 0 ? 0 : (100 * c.heldOut) / c.customers;
      out.push(`${campaign}: ${c.customers} customers, ${c.heldOut} held out (${share.toFixed(2)}%)`);
      for (const channel of CHANNELS) {
        const ch = c.channels.get(channel);
        if (!ch) continue;
        const reasons = SKIP_REASONS.filter((r) => ch.reasons.has(r)).map(
          (r) => `${ch.reasons.get(r) ?? 0} ${r}`,
        );
        out.push(
          `  ${channel}: ${ch.rows} rows, ${ch.send} to send${reasons.length > 0 ? `, ${reasons.join(", ")}` : ""}`,
        );
      }
    }
    return out;
  }
}
