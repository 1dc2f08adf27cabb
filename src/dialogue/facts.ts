/**
 * Facts a family states about itself, read from free text: the child's age and where they live. Used for the
 * staff's summary card (and, later, eligibility). Only what was said is kept — nothing is inferred.
 */
export interface FamilyFacts {
  /** As the parent put it, normalised: 「2歳」「生後3か月」「小3」「年中」「妊娠14週」. */
  childAge?: string;
  area?: string;
}

// The inhabited islands of Kasaoka (笠岡諸島).
const ISLANDS = ['北木島', '白石島', '真鍋島', '高島', '飛島', '六島', '大飛島', '小飛島'];
const ISLAND_RE = new RegExp(`(${ISLANDS.join('|')}|(?<![\\p{Script=Han}])島(?=に住|住まい|在住|じゃ|から))`, 'u');

const AGE_PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/妊娠\s*(\d{1,2})\s*(週|か月|ヶ月|カ月)/, (m) => `妊娠${m[1]}${m[2] === '週' ? '週' : 'か月'}`],
  [/生後\s*(\d{1,2})\s*(か月|ヶ月|カ月|ケ月|週|日)/, (m) => `生後${m[1]}${m[2] === '週' || m[2] === '日' ? m[2] : 'か月'}`],
  [/(\d{1,2})\s*(?:か月|ヶ月|カ月|ケ月)(?!後|前|間|以内)/, (m) => `${m[1]}か月`],
  [/(\d{1,2})\s*歳\s*(?:半|(\d{1,2})\s*(?:か月|ヶ月|カ月))?/, (m) => (m[0].includes('半') ? `${m[1]}歳半` : m[2] ? `${m[1]}歳${m[2]}か月` : `${m[1]}歳`)],
  [/(小|中|高)(?:学)?(?:校)?\s*(\d)\s*(?:年生?)?/, (m) => `${m[1]}${m[2]}`],
  [/(小学生|中学生|高校生)/, (m) => m[1]!],
  [/年(少|中|長)/, (m) => `年${m[1]}`],
  [/(新生児|赤ちゃん|乳児)/, (m) => m[1]!],
  [/(来月|今月|もうすぐ)\s*(?:生まれ|産まれ|出産)/, (m) => `${m[1]}出産予定`],
];

export function extractFacts(text: string): FamilyFacts {
  const t = text.normalize('NFKC');
  const facts: FamilyFacts = {};
  for (const [re, format] of AGE_PATTERNS) {
    const m = re.exec(t);
    if (m) {
      facts.childAge = format(m);
      break;
    }
  }
  const island = ISLAND_RE.exec(t);
  if (island) facts.area = island[1] === '島' ? '島しょ部' : island[1];
  return facts;
}

/** Later statements refine earlier ones; a fact once said is not forgotten by a message that omits it. */
export const mergeFacts = (...all: FamilyFacts[]): FamilyFacts => Object.assign({}, ...all.map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)))) as FamilyFacts;
