// Every page's document title ("Segments · Holiday Segments"): what a screen reader announces, and
// what a browser tab or history entry says, inside the admin's frame or out of it.

export const APP_NAME = "Holiday Segments";

export function titleMeta(...parts: string[]): Array<{ title: string }> {
  return [{ title: [...parts.filter(Boolean), APP_NAME].join(" · ") }];
}
