/** The benchmarks' command-line options: `--name value`, or the fallback when absent. */
export function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}
