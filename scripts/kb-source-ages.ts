// How many answer facets rest on a Kasaoka source dated 2024 or later (issue 18's figure), from the YAML as it is,
// so it also reads an older checkout's knowledge/ (whose files today's schema may refuse).
//   npx tsx scripts/kb-source-ages.ts [ROOT]
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { parseAsOf } from '../src/core/knowledge/dates.js';

interface Src {
  id: string;
  url: string;
  asOf?: string;
}
interface Entry {
  id: string;
  facets: Record<string, { sources: string[] }>;
  sources?: Src[];
}

const dir = path.join(process.argv[2] ?? '.', 'knowledge');
const kasaoka = (url: string) => /kasaoka/i.test(new URL(url).hostname);
const official = (url: string) => /(^|\.)city\.kasaoka\.okayama\.jp$/.test(new URL(url).hostname);
let facets = 0,
  recentKasaoka = 0,
  recentOfficial = 0,
  undatedOnly = 0;
for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.startsWith('_'))) {
  const e = YAML.parse(readFileSync(path.join(dir, f), 'utf8')) as Entry;
  if (['greeting', 'thanks', 'help'].includes(e.id)) continue;
  for (const facet of Object.values(e.facets)) {
    facets++;
    const cited = (e.sources ?? []).filter((s) => facet.sources.includes(s.id));
    const recent = (s: Src) => (parseAsOf(s.asOf)?.year ?? 0) >= 2024;
    if (cited.some((s) => kasaoka(s.url) && recent(s))) recentKasaoka++;
    if (cited.some((s) => official(s.url) && recent(s))) recentOfficial++;
    if (cited.every((s) => !parseAsOf(s.asOf))) undatedOnly++;
  }
}
console.log(
  `facets: ${facets}; on a Kasaoka source dated 2024 or later: ${recentKasaoka} (city site: ${recentOfficial}); every source undated: ${undatedOnly}`,
);
