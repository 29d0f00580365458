/**
 * Stops what the bench started (wrangler's harness, the proxy, the database
 * process), newest first, whether the bench ends normally, throws, or is
 * interrupted (SIGINT, SIGTERM).
 */
type Stopper = () => Promise<void> | void;

const stoppers: { name: string; stop: Stopper }[] = [];
/** How long one stopper may take before the next is run anyway. */
const STOP_TIMEOUT_MS = 5_000;
let stopping: Promise<void> | undefined;

export function onCleanup(name: string, stop: Stopper): void {
  stoppers.push({ name, stop });
}

export function cleanUp(): Promise<void> {
  stopping ??= (async () => {
    for (const { name, stop } of stoppers.reverse()) {
      try {
        // A stopper that hangs (a harness caught half-started) must not keep the ones after it, the database
        // process last of all, from running.
        await Promise.race([
          stop(),
          new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), STOP_TIMEOUT_MS).unref()),
        ]);
      } catch (error) {
        console.error(`[bench] stopping ${name} failed:`, error);
      }
    }
  })();
  return stopping;
}

/** Runs the bench; whatever happens, cleans up and exits with the bench's code (1 on error, 128+n on a signal). */
export async function runWithCleanup(main: () => Promise<number>): Promise<never> {
  const signals = { SIGINT: 2, SIGTERM: 15 } as const;
  for (const [signal, number] of Object.entries(signals)) {
    process.once(signal, () => {
      console.error(`[bench] ${signal}: stopping`);
      void cleanUp().then(() => process.exit(128 + number));
    });
  }
  let code = 1;
  try {
    code = await main();
  } catch (error) {
    console.error("[bench] failed:", error);
  }
  await cleanUp();
  process.exit(code);
}
