// Polling for the fault tests that watch other processes: the probe's first
// truthy value, or a failure naming what never happened.
export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, deadlineMs = 45_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
