import { SEGMENT_TREATMENT, SEGMENTS } from "../segments/rules";
import { DownloadButton } from "./download-button";

export const EXPORT_PATH = "/app/segments/export.csv";

export function SegmentExportButton({ segment }: { segment: string | null }) {
  const known = SEGMENTS.find((s) => s === segment);
  return (
    <DownloadButton
      href={known ? `${EXPORT_PATH}?segment=${encodeURIComponent(known)}` : EXPORT_PATH}
      fileName={`segments${known ? `-${known}` : ""}.csv`}
      label="Export CSV"
      // starts with the visible words, so speech users can say what they see (label in name)
      accessibilityLabel={`Export CSV of ${known ? SEGMENT_TREATMENT[known].label : "all"} customers`}
      failure="The export could not be downloaded. Try again."
    />
  );
}
