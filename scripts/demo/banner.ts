/** The demo's first URL, framed so it stands out from the log lines around it. Pure. */
export function formatOpenTheApp(adminUrl: string): string {
  const lines = ["Open the app in the local Shopify admin:", adminUrl];
  const width = Math.max(...lines.map((line) => line.length)) + 4;
  const rule = `+${"-".repeat(width - 2)}+`;
  return ["", rule, ...lines.map((line) => `| ${line.padEnd(width - 4)} |`), rule, ""].join("\n");
}
