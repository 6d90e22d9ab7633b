import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { DocumentNode, OperationDefinitionNode } from "graphql";
import { coerceVariables, run } from "../graphql/execute";
import type { LineSink } from "./operations";
import { validateBulkMutation } from "./validate";

// bulkOperationRunMutation: the mutation runs once per line of the staged JSONL file, each line
// being that execution's variables, through the same resolvers as a normal request (so the store
// really changes and webhooks fire). Each result line is `{"data": …, "__lineNumber": n}` (n from
// 0, in input order), with `errors` when that line's execution or its variables failed.

export type BulkMutationErrorCode =
  | "INTERNAL_FILE_SERVER_ERROR"
  | "INVALID_MUTATION"
  | "INVALID_STAGED_UPLOAD_FILE"
  | "LIMIT_REACHED"
  | "NO_SUCH_FILE"
  | "OPERATION_IN_PROGRESS";

export interface BulkMutationUserError {
  field: string[] | null;
  message: string;
  code: BulkMutationErrorCode;
}

export interface CheckedMutation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  file: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function lines(file: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The checks Shopify answers as userErrors before an operation is created. */
export async function checkBulkMutation(
  mutation: string,
  stagedUploadPath: string,
  stagedFile: (path: string) => string | undefined,
): Promise<CheckedMutation | { userErrors: BulkMutationUserError[] }> {
  const checked = validateBulkMutation(mutation);
  if ("message" in checked)
    return { userErrors: [{ field: ["mutation"], message: checked.message, code: "INVALID_MUTATION" }] };
  const file = stagedFile(stagedUploadPath);
  if (!file) {
    const message =
      "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.";
    return { userErrors: [{ field: ["stagedUploadPath"], message, code: "NO_SUCH_FILE" }] };
  }
  let count = 0;
  for await (const text of lines(file)) {
    count++;
    if (!parseObject(text))
      return {
        userErrors: [
          {
            field: ["stagedUploadPath"],
            message: "Unexpected file structure - expected JSONL",
            code: "INVALID_STAGED_UPLOAD_FILE",
          },
        ],
      };
  }
  if (count === 0)
    return {
      userErrors: [
        {
          field: ["stagedUploadPath"],
          message: "Unexpected file structure - expected JSONL",
          code: "INVALID_STAGED_UPLOAD_FILE",
        },
      ],
    };
  return { ...checked, file };
}

export interface MutationDeps {
  rootValue(): unknown;
  context(): unknown;
}

export async function produceMutationLines(
  checked: CheckedMutation,
  sink: LineSink,
  deps: MutationDeps,
): Promise<void> {
  let lineNumber = 0;
  for await (const text of lines(checked.file)) {
    if (sink.canceling()) return;
    const variables = parseObject(text) ?? {};
    const coerced = coerceVariables(checked.operation, variables);
    let result: Record<string, unknown>;
    if ("errors" in coerced) result = { errors: coerced.errors, __lineNumber: lineNumber };
    else {
      const { data, errors } = await run(
        checked.document,
        checked.operation.name?.value,
        deps.rootValue(),
        variables,
        deps.context(),
      );
      result =
        errors.length > 0 ? { data, errors, __lineNumber: lineNumber } : { data, __lineNumber: lineNumber };
    }
    await sink.write(JSON.stringify(result), true);
    if (lineNumber === 0) sink.checkpoint();
    lineNumber++;
    if (lineNumber % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}
