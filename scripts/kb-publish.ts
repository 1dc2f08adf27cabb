// Files stay first-class: the live knowledge base as files, and files (or a spreadsheet) published through the same
// checks as the console.
//   npm run kb:export -- DIR                       writes DIR/knowledge and DIR/intents from the live version
//   npm run kb:import -- DIR [--message "..."]      publishes DIR/knowledge and DIR/intents
//   npm run kb:csv:export -- FILE.csv [--facilities] one row per answer (or per facility), UTF-8 with BOM (opens in Excel)
//   npm run kb:csv:import -- FILE.csv [--message "..."]   either sheet, told apart by its header
// All need the app's REDIS_URL (the versions live in Redis). KB_EVAL_FILE: the development set (default training/dev.jsonl).
import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { sharedTokenizerLoad } from '../src/core/build-core.js';
import { loadConfigOrExit } from '../src/adapters/config/env.js';
import { readKnowledgeFolders, writeKnowledgeFolders } from '../src/core/knowledge/files.js';
import { defaultDirs, loadKnowledgeBase } from '../src/core/knowledge/load.js';
import { KnowledgePublisher } from '../src/app/publishing/publisher.js';
import { RedisKnowledgeStore } from '../src/adapters/stores/redis-knowledge-store.js';
import { publishResultText } from '../src/app/publishing/report-text.js';
import { decodeCsv, encodeCsv, parseCsv } from '../src/core/knowledge/spreadsheet/csv.js';
import { COLUMNS, problemRows, rowsFromKnowledge } from '../src/core/knowledge/spreadsheet/rows.js';
import { FACILITY_COLUMNS, rowsFromFacilities } from '../src/core/knowledge/spreadsheet/facility-rows.js';
import { applySheet } from '../src/core/knowledge/spreadsheet/sheet.js';
import { createLogger } from '../src/app/log.js';
import { createRedisClient } from '../src/adapters/stores/index.js';

const [command, target, ...rest] = process.argv.slice(2);
const USAGE = 'usage: kb-publish.ts export DIR | import DIR [--message TEXT] | csv-export FILE.csv [--facilities] | csv-import FILE.csv [--message TEXT]';
if (!command || !target) {
  console.error(USAGE);
  process.exit(2);
}
const mi = rest.indexOf('--message');
const message = mi >= 0 ? (rest[mi + 1] ?? '') : '';

const config = loadConfigOrExit();
if (!config.redisUrl) {
  console.error('REDIS_URL が設定されていません。知識ベースの版は Redis に保存されています（アプリと同じ REDIS_URL で実行してください）。');
  process.exit(1);
}
const logger = createLogger({ level: 'warn' });
const redis = createRedisClient(config.redisUrl, logger);
const store = new RedisKnowledgeStore({ redis, logger });
const publisher = new KnowledgePublisher({ store, tokenizer: sharedTokenizerLoad, evalFile: config.kbEvalFile, logger });
const author = `cli:${userInfo().username}`;

async function live() {
  const n = await store.current();
  const v = n ? await store.get(n) : undefined;
  if (!v) {
    console.error('公開中の版がありません（アプリを一度起動すると、リポジトリのファイルから版1が作られます）。');
    process.exit(1);
  }
  return v;
}

let code = 0;
try {
  if (command === 'export') {
    const v = await live();
    const { written, removed } = writeKnowledgeFolders(path.resolve(target), v.files);
    console.log(`版${v.n} を ${target} に書き出しました（${written.length}ファイル${removed.length ? `、削除 ${removed.join(', ')}` : ''}）。`);
  } else if (command === 'import') {
    const files = readKnowledgeFolders(defaultDirs(path.resolve(target)));
    const r = await publisher.publish(files, author, message || `${target} から取り込み`);
    console.log(publishResultText(r));
    code = r.status === 'published' || r.status === 'unchanged' ? 0 : 1;
  } else if (command === 'csv-export') {
    const v = await live();
    const { kb } = loadKnowledgeBase({ files: v.files });
    if (!kb) throw new Error(`live version ${v.n} does not load`);
    const facilities = rest.includes('--facilities');
    writeFileSync(target, facilities ? encodeCsv(FACILITY_COLUMNS, rowsFromFacilities(kb)) : encodeCsv(COLUMNS, rowsFromKnowledge(kb)));
    console.log(`版${v.n} の${facilities ? '施設' : '回答'}を ${target} に書き出しました（UTF-8・BOM付き、Excel でそのまま開けます）。`);
  } else if (command === 'csv-import') {
    const v = await live();
    const { kb } = loadKnowledgeBase({ files: v.files });
    if (!kb) throw new Error(`live version ${v.n} does not load`);
    const { text, encoding } = decodeCsv(readFileSync(target));
    const { header, rows } = parseCsv(text);
    const applied = applySheet(v.files, kb, header, rows);
    if (!applied.files) {
      console.log(`表に問題があるため、何も変更していません（文字コード: ${encoding}）:`);
      for (const e of applied.errors) console.log(`  ${e.row}行目「${e.column}」: ${e.message}`);
      code = 1;
    } else {
      const r = await publisher.publish(applied.files, author, message || `${path.basename(target)} から取り込み`, { base: v.n });
      if (r.status === 'refused' && r.report.problems.length) {
        console.log('公開できませんでした。公開中の版はそのまま使われています。理由:');
        for (const p of problemRows(r.report.problems, applied.rowOf)) console.log(`  ${p.row ? `${p.row}行目` : p.file}  ${p.field}: ${p.message}`);
      } else console.log(publishResultText(r));
      code = r.status === 'published' || r.status === 'unchanged' ? 0 : 1;
    }
  } else {
    console.error(USAGE);
    code = 2;
  }
} finally {
  await store.close();
  await redis.quit();
}
process.exit(code);
