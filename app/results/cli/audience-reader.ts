import type { ArmInput } from "../lift";
import { parseHeader, parseRecipient, type AudienceColumns } from "./audience";
import { CsvRecords } from "./csv-records";

// The audience file, line by line, into each group's two arms. Pure: the command feeds it the
// lines. The first bad line stops the read; what is kept per arm is its counts and its buyers'
// revenues, so memory grows with buyers (and with the customer ids checked for duplicates).

export const ALL_GROUP = "all";

export interface GroupArms {
  group: string;
  treated: ArmInput;
  control: ArmInput;
}

export interface Audience {
  /** Sorted by group name, as strings. */
  groups: GroupArms[];
  recipients: number;
  /** The most decimals any revenue was written with. */
  decimals: number;
}

export interface ReadError {
  line: number;
  message: string;
}

interface ArmTally {
  n: number;
  conversions: number;
  nonzeroRevenues: number[];
  magnitude: number;
}

const emptyArm = (): ArmTally => ({ n: 0, conversions: 0, nonzeroRevenues: [], magnitude: 0 });
const byName = (a: GroupArms, b: GroupArms) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0);

export class AudienceReader {
  private readonly records = new CsvRecords();
  private columns: AudienceColumns | null = null;
  private readonly firstLineOf = new Map<string, number>();
  private readonly arms = new Map<string, { treated: ArmTally; control: ArmTally }>();
  private decimals = 0;

  constructor(private readonly groupBy: string | null) {}

  /** Reads the next line (numbered from 1); a bad one is the error that ends the read. */
  push(text: string, line: number): ReadError | null {
    if (this.columns !== null && text === "" && !this.records.inQuotedField()) return null;
    const record = this.records.push(text, line);
    if (record === null) return null;
    if ("error" in record) return { line: record.line, message: record.error };
    if (this.columns === null) {
      const columns = parseHeader(record.fields, this.groupBy);
      if (typeof columns === "string") return { line: record.line, message: columns };
      this.columns = columns;
      return null;
    }
    const recipient = parseRecipient(record.fields, this.columns);
    if (typeof recipient === "string") return { line: record.line, message: recipient };
    const first = this.firstLineOf.get(recipient.customerId);
    if (first !== undefined) {
      return {
        line: record.line,
        message: `column customer_id: ${JSON.stringify(recipient.customerId)} again (first on line ${first})`,
      };
    }
    this.firstLineOf.set(recipient.customerId, record.line);

    const group = recipient.group ?? ALL_GROUP;
    let arms = this.arms.get(group);
    if (arms === undefined) {
      arms = { treated: emptyArm(), control: emptyArm() };
      this.arms.set(group, arms);
    }
    const arm = recipient.holdout ? arms.control : arms.treated;
    arm.n++;
    if (recipient.converted) arm.conversions++;
    if (recipient.revenue !== 0) {
      arm.magnitude += Math.abs(recipient.revenue);
      if (!Number.isSafeInteger(arm.magnitude)) {
        return {
          line: record.line,
          message: "column revenue: the arm's revenues add up to more than this command can count exactly",
        };
      }
      arm.nonzeroRevenues.push(recipient.revenue);
    }
    this.decimals = Math.max(this.decimals, recipient.decimals);
    return null;
  }

  /** After the last line: the groups, or the error of a file without a header or with an open quote. */
  end(): Audience | ReadError {
    const open = this.records.end();
    if (open !== null) return { line: open.line, message: open.error };
    if (this.columns === null) return { line: 1, message: "the file is empty: no header" };
    if (this.groupBy === null && this.arms.size === 0)
      this.arms.set(ALL_GROUP, { treated: emptyArm(), control: emptyArm() });
    const arm = ({ n, conversions, nonzeroRevenues }: ArmTally): ArmInput => ({
      n,
      conversions,
      nonzeroRevenues,
    });
    const groups = [...this.arms].map(([group, { treated, control }]) => ({
      group,
      treated: arm(treated),
      control: arm(control),
    }));
    return { groups: groups.sort(byName), recipients: this.firstLineOf.size, decimals: this.decimals };
  }
}
