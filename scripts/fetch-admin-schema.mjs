// Refreshes the Admin GraphQL schema kept as test data. The schema ships inside
// @shopify/dev-mcp, which is far too heavy to depend on, so we unpack one file from its tarball.
import { execFileSync } from "node:child_process";
import { mkdtempSync, copyFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const apiVersion = process.argv[2] ?? "2026-10";
const devMcpVersion = process.argv[3] ?? "1.16.0";
const dir = mkdtempSync(join(tmpdir(), "dev-mcp-"));
try {
  const tarball = execFileSync("npm", ["pack", `@shopify/dev-mcp@${devMcpVersion}`, "--silent"], { cwd: dir })
    .toString()
    .trim()
    .split("\n")
    .pop();
  const member = `package/dist/data/admin_${apiVersion}.json.gz`;
  execFileSync("tar", ["xzf", tarball, member], { cwd: dir });
  const target = join("test", "emulator", "schema", `admin_${apiVersion}.json.gz`);
  copyFileSync(join(dir, member), target);
  console.log(`wrote ${target} from @shopify/dev-mcp@${devMcpVersion}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
