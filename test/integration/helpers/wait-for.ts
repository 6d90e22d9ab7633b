// Polls `check` until it holds; past the deadline fails naming what it waited for (and, when
// given, what `explain` says about the state it found).

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
  explain: () => Promise<unknown> = async () => "",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const found = await explain();
      throw new Error(`timed out waiting for ${what}${found === "" ? "" : ` ${JSON.stringify(found)}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
