import { visit, type ASTNode, type DocumentNode, type GraphQLError } from "graphql";

export interface ShopifyGraphQLError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

const bare = (t: string | undefined): string => (t ?? "").replace(/[![\]]/g, "");

type Rule = [RegExp, (m: RegExpExecArray) => { message: string; extensions: Record<string, unknown> }];

// graphql-js messages mapped to the wording and codes of Shopify (graphql-ruby).
const RULES: Rule[] = [
  [/^Cannot query field "(\w+)" on type "(\w+)"\./, (m) => ({
    message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`,
    extensions: { code: "undefinedField", typeName: m[2], fieldName: m[1] },
  })],
  [/^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\./, (m) => ({
    message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
    extensions: { code: "argumentNotAccepted", name: m[3], typeName: "Field", argumentName: m[1] },
  })],
  [/^Field "(\w+)" argument "(\w+)" of type "(.+)" is required, but it was not provided\./, (m) => ({
    message: `Field '${m[1]}' is missing required arguments: ${m[2]}`,
    extensions: { code: "missingRequiredArguments", className: "Field", name: m[1], arguments: m[2] },
  })],
  [/^Variable "\$(\w+)" of type "(.+)" used in position expecting type "(.+)"\./, (m) => ({
    message: `Type mismatch on variable $${m[1]} and argument (${m[2]} / ${m[3]})`,
    extensions: { code: "variableMismatch", variableName: m[1], typeName: m[2] },
  })],
  [/^Variable "\$(\w+)" is not defined/, (m) => ({
    message: `Variable $${m[1]} is used by anonymous query but not declared`,
    extensions: { code: "variableNotDefined", variableName: m[1] },
  })],
  [/^Variable "\$(\w+)" is never used/, (m) => ({
    message: `Variable $${m[1]} is declared by anonymous query but not used`,
    extensions: { code: "variableNotUsed", variableName: m[1] },
  })],
  [/^Field "(\w+)" of type "(.+)" must have a selection of subfields/, (m) => ({
    message: `Field must have selections (field '${m[1]}' returns ${bare(m[2])} but has no selections. Did you mean '${m[1]} { ... }'?)`,
    extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: bare(m[2]) },
  })],
  [/^Field "(\w+)" must not have a selection since type "(.+)" has no subfields/, (m) => ({
    message: `Selections can't be made on scalars (field '${m[1]}' returns ${bare(m[2])} but has selections)`,
    extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: bare(m[2]) },
  })],
  [/^Unknown type "(\w+)"/, (m) => ({
    message: `No such type ${m[1]}, so it can't be a fragment condition`,
    extensions: { code: "undefinedType", typeName: m[1] },
  })],
  [/^(?:Int|Float|String|Boolean|ID|Enum|Value) .*cannot represent|^Expected value of type "(.+)", found (.+?)[.;]/, (m) => ({
    message: `Argument has an invalid value (${m[2] ?? "?"}). Expected type '${m[1] ?? "?"}'.`,
    extensions: { code: "argumentLiteralsIncompatible", typeName: "Argument" },
  })],
  [/^Syntax Error: (.*)$/, (m) => ({ message: `syntax error, ${m[1]?.replace(/^Expected (.+), found (.+)\.$/, "unexpected $2, expecting $1")}`, extensions: {} })],
];

function pathTo(document: DocumentNode | undefined, target: ASTNode | undefined): (string | number)[] | undefined {
  if (!document || !target) return undefined;
  const stack: string[] = [];
  let found: string[] | undefined;
  const push = (name: string) => {
    stack.push(name);
  };
  const pop = () => {
    stack.pop();
  };
  visit(document, {
    enter(node) {
      if (found) return false;
      if (node.kind === "OperationDefinition") push(node.name ? `${node.operation} ${node.name.value}` : node.operation);
      else if (node.kind === "FragmentDefinition") push(`fragment ${node.name.value}`);
      else if (node.kind === "InlineFragment") push(`... on ${node.typeCondition?.name.value ?? ""}`);
      else if (node.kind === "Field") push(node.alias?.value ?? node.name.value);
      else if (node.kind === "Argument") push(node.name.value);
      else return undefined;
      if (node === target) found = [...stack];
      return undefined;
    },
    leave(node) {
      if (["OperationDefinition", "FragmentDefinition", "InlineFragment", "Field", "Argument"].includes(node.kind)) pop();
    },
  });
  return found;
}

export function toShopifyError(error: GraphQLError, document?: DocumentNode): ShopifyGraphQLError {
  const rule = RULES.map(([re, f]) => {
    const m = re.exec(error.message);
    return m ? f(m) : undefined;
  }).find((x) => x !== undefined);
  const out: ShopifyGraphQLError = { message: rule?.message ?? error.message };
  if (error.locations) out.locations = error.locations.map((l) => ({ line: l.line, column: l.column }));
  if (rule && error.locations && rule.message.startsWith("syntax error")) {
    const l = error.locations[0];
    if (l) out.message += ` at [${l.line}, ${l.column}]`;
  }
  const path = pathTo(document, error.nodes?.[0]);
  if (path) out.path = path;
  if (rule && Object.keys(rule.extensions).length > 0) out.extensions = rule.extensions;
  else if (!rule) out.extensions = { code: "validationError" };
  return out;
}
