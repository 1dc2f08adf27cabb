export interface BuildOptions {
  /** Inside the repository (packages resolve from its node_modules). Default `dist`. */
  outdir?: string;
  /** Folders to compile, paths kept. Default `['src']`. */
  include?: string[];
  root?: string;
}
/** Every file under `dir`, as absolute paths. */
export function filesUnder(dir: string): string[];
export function buildApp(opts?: BuildOptions): Promise<{ outdir: string; modules: number }>;
