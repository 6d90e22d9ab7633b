/** A form as a browser posts it: each value once, a list as repeated fields. */
export function formData(fields: Record<string, string | readonly string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields))
    for (const v of typeof value === "string" ? [value] : value) data.append(key, v);
  return data;
}
