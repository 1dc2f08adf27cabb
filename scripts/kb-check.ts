// Validates knowledge/, intents/ and languages/ exactly as start-up does and prints every problem with file and field;
// then fails on translations that start-up set aside (numbers unlike the Japanese, やさしい日本語's writing rules);
// checks dated statements against today (Japan): one whose start or end has passed fails, and those that start or
// end within 60 days are listed; last, how much of each language is translated.
//   npm run kb:check                       (today)
//   npm run kb:check -- --today 2027-03-01 (as on that day: what will need doing)
import { KnowledgeBaseError, formatProblems, loadCore } from '../src/core/build-core.js';
import { japaneseDay } from '../src/core/knowledge/dates.js';
import { NOTICE_DAYS, datedStatementReport } from '../src/core/knowledge/effective.js';
import { japanDate } from '../src/core/knowledge/freshness.js';
import { formatCoverage, translationCoverage } from '../src/core/knowledge/languages/coverage.js';
import { BASE_LANGUAGE } from '../src/core/knowledge/languages/schema.js';

const at = process.argv.indexOf('--today');
const today = at >= 0 ? (process.argv[at + 1] ?? '') : japanDate(Date.now());
if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) {
  console.error('--today は 2027-03-01 のように書いてください');
  process.exit(2);
}

try {
  const { kb } = await loadCore();
  const examples = [...kb.intents.values()].reduce((n, i) => n + i.examples.length, 0);
  const { problems, soon } = datedStatementReport(kb, today);
  if (soon.length) {
    console.log(`${NOTICE_DAYS}日以内（${today} から）に始まる・終わる期間つきの文:`);
    for (const s of soon) console.log(`  ${japaneseDay(s.date)}${s.kind === 'starts' ? 'から' : 'まで'}  ${s.file}  ${s.field}: ${s.text}`);
  }
  if (problems.length) {
    console.error(`期間つきの文に ${problems.length} 件の問題があります（${today} 時点）:\n${formatProblems(problems)}`);
    process.exit(1);
  }
  // Set aside at load so a Japanese edit goes live at once; here, in the repository, it must be brought up to date.
  const stale = [...kb.languages.values()].flatMap((p) => p.stale);
  if (stale.length) {
    console.error(`訳 ${stale.length} 件が日本語と合わないため、代わりの言語で出しています（訳を直してください）:\n${formatProblems(stale)}`);
    process.exit(1);
  }
  const japanese = { ...kb, copy: kb.languages.get(BASE_LANGUAGE)?.copy ?? {} };
  console.log(
    `OK: ${kb.entries.size} entries, ${kb.intents.size} intents, ${examples} examples, ${kb.contacts.size} contacts, ${kb.facilities.facilities.length} facilities, ${kb.languages.size} languages — no problems found.`,
  );
  // A report, not a failure: what is not translated is shown in the fallback language, saying so.
  console.log(
    `\n翻訳の充足率（目標: どの言語も100%。訳のない部分は やさしい日本語 → 日本語 で表示し、そう伝えます）:\n${formatCoverage(translationCoverage(kb.languages, japanese))}`,
  );
} catch (e) {
  if (!(e instanceof KnowledgeBaseError)) throw e;
  console.error(`知識ベースに ${e.problems.length} 件の問題があります:\n${formatProblems(e.problems)}`);
  process.exit(1);
}
