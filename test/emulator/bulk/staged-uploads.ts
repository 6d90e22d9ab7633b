import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { GraphQLError } from "graphql";
import { z } from "zod";
import { resultsDir } from "./operations";

// Staged uploads of bulk mutation variables. Shopify's stagedUploadsCreate hands out a Google Cloud
// Storage POST-policy target (url, resourceUrl null, parameters key … x-goog-signature); the client
// POSTs a multipart form with those fields, then `file` last, and passes `key` as stagedUploadPath.
// The emulator is the bucket on its own host and checks the form as GCS would: signature, policy
// conditions, size, expiry. Only BULK_MUTATION_VARIABLES over POST is emulated.

export const BUCKET = "shopify-staged-uploads";
export const UPLOAD_PATH = `/${BUCKET}`;
/** API 2026-01 and later accept variables files up to 100 MB. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
const POLICY_TTL_MS = 60 * 60_000; // the emulator's choice; Shopify does not document it

const uploadInput = z.object({
  input: z.array(
    z.object({
      resource: z.string(),
      filename: z.string(),
      mimeType: z.string(),
      httpMethod: z.string().nullish(),
    }),
  ),
});
const policyShape = z.object({
  expiration: z.string(),
  conditions: z.array(
    z.union([z.record(z.string()), z.tuple([z.literal("content-length-range"), z.number(), z.number()])]),
  ),
});

interface Staged {
  shop: string;
  file?: string;
}

const googDate = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");

function xml(res: ServerResponse, status: number, body: string): void {
  const text = `<?xml version='1.0' encoding='UTF-8'?>${body}`;
  res.writeHead(status, {
    "Content-Type": "application/xml; charset=UTF-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}
const xmlError = (res: ServerResponse, status: number, code: string, message: string) =>
  xml(res, status, `<Error><Code>${code}</Code><Message>${message}</Message></Error>`);

export class StagedUploads {
  private readonly staged = new Map<string, Staged>();
  private readonly secret = randomBytes(32);
  constructor(private readonly deps: { now(): Date; emulatorUrl(): string }) {}

  /** stagedUploadsCreate for one shop. */
  create(shop: string, shopId: string, args: unknown): { stagedTargets: unknown[]; userErrors: unknown[] } {
    const { input } = uploadInput.parse(args);
    const stagedTargets = input.map((item) => {
      if (item.resource !== "BULK_MUTATION_VARIABLES")
        throw new GraphQLError(`not emulated: stagedUploadsCreate for ${item.resource}`);
      if (item.httpMethod !== "POST")
        throw new GraphQLError(
          `not emulated: stagedUploadsCreate with httpMethod ${item.httpMethod ?? "PUT"}`,
        );
      const key = `tmp/${shopId}/bulk/${randomUUID()}/${item.filename}`;
      this.staged.set(key, { shop });
      return {
        url: `${this.deps.emulatorUrl()}${UPLOAD_PATH}/`,
        resourceUrl: null,
        parameters: this.sign(key, item.mimeType),
      };
    });
    return { stagedTargets, userErrors: [] };
  }

  /** The uploaded file behind a stagedUploadPath, only for the shop that staged it. */
  fileFor(shop: string, key: string): string | undefined {
    const entry = this.staged.get(key);
    return entry?.shop === shop ? entry.file : undefined;
  }

  private sign(key: string, mimeType: string): { name: string; value: string }[] {
    const now = this.deps.now();
    const fields: [string, string][] = [
      ["key", key],
      ["Content-Type", mimeType],
      ["success_action_status", "201"],
      ["acl", "private"],
    ];
    const goog: [string, string][] = [
      [
        "x-goog-credential",
        `merchant-assets@shopify-emulator.iam.gserviceaccount.com/${googDate(now).slice(0, 8)}/auto/storage/goog4_request`,
      ],
      ["x-goog-algorithm", "GOOG4-RSA-SHA256"],
      ["x-goog-date", googDate(now)],
    ];
    const signed: [string, string][] = [...fields, ["bucket", BUCKET], ...goog];
    const conditions = [
      ...signed.map(([k, v]) => ({ [k]: v })),
      ["content-length-range", 0, MAX_UPLOAD_BYTES],
    ];
    const policy = Buffer.from(
      JSON.stringify({ conditions, expiration: new Date(now.getTime() + POLICY_TTL_MS).toISOString() }),
    ).toString("base64");
    const signature = createHmac("sha256", this.secret).update(policy).digest("hex");
    const parameters: [string, string][] = [
      ...fields,
      ["policy", policy],
      ...goog,
      ["x-goog-signature", signature],
    ];
    return parameters.map(([name, value]) => ({ name, value }));
  }

  /** The bucket's POST: a multipart form as GCS accepts it; 201 with a PostResponse document. */
  async handleUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const type = req.headers["content-type"] ?? "";
    if (!type.startsWith("multipart/form-data"))
      return xmlError(res, 400, "InvalidArgument", "POST requires a multipart/form-data body.");
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size <= MAX_UPLOAD_BYTES + 1024 * 1024) chunks.push(buffer);
    }
    if (size > MAX_UPLOAD_BYTES + 1024 * 1024)
      return xmlError(
        res,
        400,
        "EntityTooLarge",
        "Your proposed upload is larger than the maximum object size specified in your Policy Document.",
      );
    let entries: [string, FormDataEntryValue][];
    try {
      entries = [
        ...(
          await new Response(Buffer.concat(chunks), { headers: { "content-type": type } }).formData()
        ).entries(),
      ];
    } catch {
      return xmlError(res, 400, "InvalidArgument", "The multipart form could not be read.");
    }
    const last = entries[entries.length - 1];
    const file = last?.[0] === "file" && typeof last[1] !== "string" ? last[1] : undefined;
    if (!file)
      return xmlError(
        res,
        400,
        "InvalidArgument",
        "Cannot find the file field: it must be the last field in the form.",
      );
    const form = new Map(
      entries.flatMap(([k, v]) => (typeof v === "string" ? [[k.toLowerCase(), v] as const] : [])),
    );
    const refusal = this.refusal(form, file.size);
    if (refusal) return xmlError(res, refusal.status, refusal.code, refusal.message);
    const key = form.get("key") ?? "";
    const entry = this.staged.get(key);
    if (!entry) return xmlError(res, 403, "AccessDenied", "Access denied.");
    const bytes = Buffer.from(await file.arrayBuffer());
    const folder = join(resultsDir(), "staged");
    mkdirSync(folder, { recursive: true });
    entry.file = join(folder, `${createHash("sha256").update(key).digest("hex")}.jsonl`);
    writeFileSync(entry.file, bytes);
    const etag = createHash("md5").update(bytes).digest("hex");
    const location = `${this.deps.emulatorUrl()}${UPLOAD_PATH}/${key}`;
    xml(
      res,
      201,
      `<PostResponse><Location>${location}</Location><Bucket>${BUCKET}</Bucket><Key>${key}</Key><ETag>"${etag}"</ETag></PostResponse>`,
    );
  }

  /** Why GCS would refuse the form, if it would. */
  private refusal(
    form: Map<string, string>,
    size: number,
  ): { status: number; code: string; message: string } | undefined {
    const policy = form.get("policy") ?? "";
    const expected = createHmac("sha256", this.secret).update(policy).digest("hex");
    if (form.get("x-goog-signature") !== expected) {
      return {
        status: 403,
        code: "SignatureDoesNotMatch",
        message: "The request signature we calculated does not match the signature you provided.",
      };
    }
    const parsed = policyShape.safeParse(JSON.parse(Buffer.from(policy, "base64").toString("utf8")));
    if (!parsed.success)
      return {
        status: 400,
        code: "InvalidPolicyDocument",
        message: "The content of the form does not meet the conditions specified in the policy document.",
      };
    if (Date.parse(parsed.data.expiration) < this.deps.now().getTime())
      return {
        status: 400,
        code: "InvalidPolicyDocument",
        message: "Invalid according to Policy: Policy expired.",
      };
    for (const condition of parsed.data.conditions) {
      if (Array.isArray(condition)) {
        if (size < condition[1] || size > condition[2])
          return {
            status: 400,
            code: "EntityTooLarge",
            message:
              "Your proposed upload is larger than the maximum object size specified in your Policy Document.",
          };
        continue;
      }
      for (const [name, value] of Object.entries(condition)) {
        if (name === "bucket") continue; // the bucket is the URL
        if (form.get(name.toLowerCase()) !== value) {
          return {
            status: 403,
            code: "AccessDenied",
            message: `Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${value}"]`,
          };
        }
      }
    }
    return undefined;
  }
}
