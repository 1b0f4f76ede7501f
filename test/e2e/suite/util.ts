/** Small waiting helpers shared by the extension test files. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` every 200 ms until it returns a value, or fails after `timeoutMs`. */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Asks the runner (outside VS Code) for a screenshot of the page, then gives it time to take it. */
export async function screenshot(name: string): Promise<void> {
  console.log(`DSYNC_SCREENSHOT ${name}`);
  await sleep(1500);
}
