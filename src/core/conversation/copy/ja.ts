import { FACILITY_KIND_LABELS } from '../../knowledge/facilities/schema.js';
import type { CopyTree } from '../../knowledge/languages/schema.js';
import { type ContactLine } from '../../knowledge/concierge-contact.js';

/**
 * Every fixed sentence a parent reads from the bot, in Japanese, in one place: staff review and change the wording
 * here without reading the code around it. What the knowledge base says (answers, emergency guidance) lives in
 * knowledge/ and intents/, not here. The concierge's own name and number come from knowledge/_contacts.yaml, the
 * only place phone numbers are kept: sentences that carry them have `{concierge}` or `{tel}`.
 *
 * The sentences are data (`JA_COPY`, a tree of strings with `{placeholder}`s): it is the reference that every
 * `languages/<code>/_copy.yaml` translates, key for key (kb:check compares their numbers and placeholders), and a
 * language without a key falls back to the next language of its chain, ending here. `copyFrom` turns any such tree
 * into the typed sentences the conversation uses, so adding a language is adding a file.
 */

export { conciergeContact } from '../../knowledge/concierge-contact.js';

export const JA_COPY = {
  follow: {
    thanks: '友だち追加ありがとうございます。',
    guide:
      'できること:\n・知りたいことを、ふだんの言葉で送ると答えます（「病児保育の料金は？」など）\n・「自分に合うサービスを知りたい」と送ると、3つの質問であなたの家族に合うサービスを探します\n・「担当者と話す」で、子育て支援課の担当者につなぎます\n急な病気やけがで緊急のときは、迷わず119番に電話してください。',
    /** For a parent whose LINE is set to a language the bot does not speak (they get やさしい日本語). */
    otherLanguage: 'I answer in easy Japanese (やさしい にほんご). To choose English, Tiếng Việt or 中文, tap 「Language / 言語」.',
  },
  /** In a group chat the bot answers only when addressed. */
  joinGroup:
    '笠岡市の子育てコンシェルジュです。グループでは、メッセージの最初に「コンシェルジュ」と付けるか、@メンションで話しかけてください。そのときだけお答えします。\n個人的なご相談は、1対1のトークでどうぞ。',
  erase: {
    confirm:
      'このLINEでのやりとりの記録（会話の内容・担当者への引き継ぎ）をすべて削除します。よろしいですか？\n削除すると、担当者とのやりとりの続きもできなくなります。',
    button: { label: '削除する', displayText: '記録を削除する' },
    done: 'これまでの記録を削除しました。ご利用ありがとうございました。知りたいことがあれば、いつでも送ってください。',
    delayed:
      'ただいま記録を削除できませんでした（システムの一時的な不具合です）。削除のご依頼は受け付けましたので、自動でくり返し削除を試み、終わりましたらこのトークでお知らせします。',
    doneLater: '先ほどのご依頼どおり、このLINEでのやりとりの記録をすべて削除しました。',
    failed: '申し訳ありません。記録を削除できませんでした。お手数ですが、もう一度「私のデータを消して」と送っていただくか、{concierge}にご連絡ください。',
  },
  clarify: 'どれについて知りたいですか？ 近いものを選んでください。',
  menuPick: '知りたいことを選んでください。',
  facetOnly: 'どのサービスの「{facet}」について知りたいですか？ サービスの名前を送っていただくか、下から選んでください。',
  nothingToCancel: 'いま担当者におつなぎしている会話はありません。知りたいことがあれば、いつでも送ってください。',
  feedback: {
    up: 'ありがとうございます。ほかにも気になることがあれば、いつでも聞いてください。',
    down: 'お役に立てずすみません。言い方を変えて聞いていただくか、「担当者と話す」から担当者におつなぎします。',
  },
  wrongInfo: {
    ask: 'お知らせありがとうございます。どこがまちがっているか、よろしければ次のメッセージで教えてください（書かなくても、担当者に届きます）。\nお名前や電話番号は書かないでください。',
    thanks: 'ありがとうございます。担当者が確認して、必要なら直します。ほかにも気になることがあれば、いつでも聞いてください。',
    skip: { label: '書かずに終える', displayText: '書かずに終える' },
  },
  unsupported: {
    sticker: 'スタンプありがとうございます😊 子育てのことで知りたいことがあれば、文字で送ってください。下のボタンからも選べます。',
    location: '位置情報を受け取りました。ありがとうございます。このLINEでは文字のご質問にお答えしています。知りたいことを文字で送ってください。',
    other: 'すみません、画像・動画・音声・ファイルの中身は読み取れません。知りたいことを文字で送ってください。下のボタンからも選べます。',
  },
  guide: {
    /** The guided consultation's three questions, in the order they are asked. */
    questions: {
      who: 'どなたのことですか？ お子さんの年齢を選ぶか、「2歳」「小3」のように送ってください。',
      need: 'どんなことでお困りですか？',
      special: '当てはまることはありますか？',
    },
    lead: 'あなたに合うサービスを一緒に探します。3つまで質問します。\n',
    restart: 'もう一度さがす',
    results: 'ご家庭に合いそうなサービスです。「詳しく見る」で内容を確認できます。対象になるかどうか迷うときは、担当者にご相談ください。',
    /** `{who}`: the children as the family described them (「2歳」). */
    resultsFor: '{who}のお子さんのご家庭に合いそうなサービスです。「詳しく見る」で内容を確認できます。対象になるかどうか迷うときは、担当者にご相談ください。',
    alternativesBelow: 'ほかに合いそうなサービスを下に出しました。',
    noneFound: 'お話の条件に合うサービスが見つかりませんでした。担当の子育てコンシェルジュが一緒に探します。\n{concierge}',
  },
  /**
   * Why a service fits a family, or does not (the notice above an answer, the guided consultation's reasons), from
   * what the family told us. `{range}`, `{child}`, `{age}`: ages, written with `ages`.
   */
  eligibility: {
    notFor: '対象は{range}のため、{child}のお子さんは対象になりません',
    /** The notice when a service does not fit: `{more}` is guide.alternativesBelow, or nothing. */
    notForMore: '{reason}。{more}',
    because: '{because}のため対象です',
    /** After a clause that ends in a verb (「発達に心配がある」). */
    becauseClause: '{because}ため対象です',
    ageAnd: '{age}で、{conditions}',
    forNeed: '「{need}」に合うサービスです',
    rangeIs: '対象は{range}です',
    required: '{requirements}が条件です',
    confirm: '{confirm}は子育て支援課にご確認ください',
    withChecks: '{lead}（{checks}）',
    checkSeparator: '。',
    conditionSeparator: '、',
    requirementSeparator: '・',
    /** A condition the family told us, as the reason a service fits. */
    reasons: {
      working: '保護者が就労中',
      single_parent: 'ひとり親家庭',
      island: '島にお住まい',
      sick_child: 'お子さんが病気・回復期',
      development: '発達に心配がある',
    },
    /** What a requirement means when it must be confirmed. */
    requirements: {
      working: '保護者の就労など（家で保育できない理由）',
      single_parent: 'ひとり親家庭であること',
      island: '島にお住まいであること',
      sick_child: 'お子さんが病気・回復期であること',
      development: '発達についての支援が必要なこと',
    },
  },
  /**
   * Ages as the knowledge base and the family write them (「小6」「生後2か月」「3歳〜就学前」), in another language; a
   * 日本語 reply shows them as written. `{n}`, `{y}`, `{m}`: numbers.
   */
  ages: {
    range: '{from}〜{to}',
    pregnant: '妊娠中',
    pregnantWeeks: '妊娠{n}週',
    pregnantMonths: '妊娠{n}か月',
    newborn: '新生児',
    infant: '乳児',
    days: '生後{n}日',
    weeks: '生後{n}週',
    months: '生後{n}か月',
    oneMonth: '生後1か月',
    years: '{n}歳',
    yearsHalf: '{n}歳半',
    yearsMonths: '{y}歳{m}か月',
    nurseryFirst: '年少',
    nurserySecond: '年中',
    nurseryLast: '年長',
    preschool: '就学前',
    elementaryYear: '小{n}',
    juniorHighYear: '中{n}',
    highSchoolYear: '高{n}',
    elementary: '小学生',
    juniorHigh: '中学生',
    highSchool: '高校生',
    juniorHighAndUp: '中学生以上',
  },
  handoff: {
    judgment: 'このご相談は、ご家庭の事情をうかがって個別に考える必要があるため、担当の子育てコンシェルジュにおつなぎします。',
    requested: '担当の子育てコンシェルジュにおつなぎします。',
    /** `{lead}`: judgment or requested. */
    call: '{lead}\nお急ぎのときは {concierge} へお電話ください。',
    alreadyConnected: 'すでに担当者へおつなぎしています。お返事をお待ちください。',
    cancelHint: '\nおつなぎを取り消すときは「取り消す」を押してください。',
    activeNow: '担当者が対応しています。このトークでお送りください。',
    staffChecking: '担当者が確認しています。お返事まで、もう少しお待ちください。',
    staffAlsoTold: '子育て支援課の担当者にもお知らせしました。',
    staffAlsoToldLater: '子育て支援課の担当者にもお知らせしました。（担当者の対応は受付時間内になります）',
    continuing: '担当者へのおつなぎは続いています。このメッセージも担当者に届いています。',
    /** `{next}`: when staff will answer (officeHours.closedNow). */
    continuingThen: '担当者へのおつなぎは続いています。このメッセージも担当者に届いています。\n{next}',
    staffGreeting: '子育てコンシェルジュの{name}です。ここからは担当者がお返事します。',
    /** A staff reply machine-translated into the parent's language (never used for 日本語): `{text}` the translation. */
    machineTranslated: '【機械翻訳】\n{text}',
    closed: {
      staff: '担当者との会話を終了しました。ここからは自動応答でお答えします。またいつでも聞いてください。',
      idle: 'しばらくやりとりがなかったため、担当者との会話を終了しました。ここからは自動応答でお答えします。続けて担当者と話したいときは「担当者と話す」を押してください。',
      cancelled: '担当者へのおつなぎを取り消しました。ここからは自動応答でお答えします。',
    },
  },
  /**
   * Ready sentences staff put into a reply, offered in the parent's language (so staff can answer a parent who reads
   * another language without machine translation).
   */
  staffPhrases: {
    wait: '確認しますので、少しお待ちください。',
    callUs: '詳しくは、お電話でお話しさせてください。',
    visit: '市役所の窓口で、ご相談いただけます。',
    thanks: 'ご連絡ありがとうございました。ほかにも気になることがあれば、いつでも送ってください。',
  },
  /** A facility card's kind line in another language (日本語 cards use FACILITY_KIND_LABELS, the same words). */
  // The directory's own words (knowledge/facilities/schema.ts): what other languages translate.
  facilityKinds: { ...FACILITY_KIND_LABELS },
  facilityOwnership: { public: '（公立）', private: '（私立）' },
  /** Office hours as the parent reads them after a handoff. */
  officeHours: {
    /** 「平日 8:30〜17:15（土日祝日・年末年始はお休み）」 */
    describe: '平日 {opens}〜{closes}（土日祝日・年末年始はお休み）',
    /** 「12月1日(月) 8:30」; `{weekday}` is one of `weekdays` (Sunday first, comma-separated). */
    opening: '{month}月{day}日({weekday}) {time}',
    weekdays: '日,月,火,水,木,金,土',
    openNow: 'ただいま受付時間内です。担当者が確認して、このトークでお返事します。少しお待ちください。',
    closedNow: '{why}、担当者のお返事は {opening} 以降になります。受付時間は {hours} です。',
    why: { holiday: '本日は祝日のため', year_end: '年末年始のため', weekend: '本日は閉庁日のため', outside: 'ただいま受付時間外のため' },
  },
  notUnderstood: 'すみません、うまく理解できませんでした。言い方を変えて送っていただくか、下のボタンから選んでください。',
  offerPerson: '\nうまくお答えできていないようです。担当者におつなぎしましょうか？',
  dangerOver:
    'ご連絡ありがとうございます。落ち着いたとのことで、ほっとしました。\nまた様子が変わったり心配になったりしたときは、迷わず119番へ。救急車を呼ぶか迷うときは、小児救急電話相談 #8000 でも相談できます。',
  englishEmergencyNote: 'Emergency: call 119 for an ambulance or fire, 110 for the police. Say where you are and what happened.',
  outOfScope:
    'すみません、そのご用件には、このLINEではお答えできません。このLINEでお答えできるのは、笠岡市の子育て支援（保育園・預かり・手当・健診・予防接種・子育ての相談など）のご案内です。\n市のほかの手続きや大人の方のご用件は、市役所の担当の課にお問い合わせください。どこに聞けばよいか分からないときは {concierge} がご案内します。',
  unconfirmedDetail: '詳しくは {concierge} にお問い合わせください。',
  distress:
    '毎日本当におつかれさまです。しんどい気持ちを、ひとりで抱えなくて大丈夫です。話を聞いてほしいときは「担当者と話す」から、または平日に {concierge} へご相談ください。',
  englishNote:
    'This LINE account answers in Japanese for now. To talk with a staff member of the Kasaoka City child-rearing support office, tap 「担当者と話す」 (Talk to staff) or write "talk to staff". Phone (Japanese): {tel}, weekdays.',
  /** How the concierge's own line is written: `{name}` from the contact ledger (without 「笠岡市」), `{tel}` its number. */
  conciergeLine: '{name}TEL {tel}',
  /** Before facility cards, for a parent in another language (the Japanese lead is written from the question's words). */
  facilitiesFound: '施設のご案内です。',
  /** The parent switched language (「Language / 言語」 or by writing in it): said in the new language. */
  languageSwitched: '日本語で お答えします。',
  languagePick: 'Language / 言語',
  /** Buttons: quick-reply labels (LINE shows at most 20 characters) and what the tap shows as the parent's message. */
  labels: {
    menu: { azuketai: '預けたい', okane: 'お金・手当', kenshin: '健診・予防接種', ninshin: '妊娠・出産', soudan: '相談したい' },
    handoff: '担当者と話す',
    handoffSaid: '担当者と話したい',
    cancel: '取り消す',
    cancelSaid: '担当者へのおつなぎを取り消す',
    helpful: '役に立った',
    notHelpful: '役に立たなかった',
    guideStart: 'あなたに合うサービス',
    guideStartSaid: '自分に合うサービスを知りたい',
    language: 'Language / 言語',
    facets: { overview: '概要', cost: '料金', how: '申込方法', who: '対象', where: '場所・日時', contact: '問い合わせ' },
    who: { preg: '妊娠中', '0-2': '0〜2歳', '3-5': '3歳〜就学前', elem: '小学生', jh: '中学生以上' },
    needs: { azuketai: '預けたい', okane: 'お金の支援', kenko: '健康・健診', soudan: '相談したい', tetsuzuki: '手続き', asobi: '遊び・交流' },
    special: {
      working: '仕事をしている',
      single_parent: 'ひとり親',
      island: '島に住んでいる',
      development: '発達が気になる',
      sick_child: '子どもが病気',
      none: '特にない',
    },
  },
  /** The rich menu's words besides the buttons' labels (the Japanese menu is drawn from src/adapters/richmenu). */
  richMenu: {
    bannerTitle: 'あなたに合うサービスをさがす',
    /** `{count}`: how many questions the guided consultation asks. */
    bannerSub: '{count}つの質問でご案内します',
    handoffSub: '子育てコンシェルジュへ',
    chatBar: 'メニュー',
  },
  /** The words around an answer, facility or emergency card (the LINE adapter lays them out). */
  card: {
    asOf: '情報の時点: {asOf}',
    checked: '最終確認: {day}',
    /** A day (YYYY-MM-DD) as the language writes it. */
    day: '{y}年{m}月{d}日',
    phoneAsOf: '☎ {name} {tel}（番号の時点: {asOf}）',
    source: '{title}（{date}）',
    reference: '参考: {title}',
    undated: '時点不明',
    sources: '出典',
    call: '電話: {name}',
    callNumber: '{tel}（{name}）に電話',
    more: '詳しく見る',
    checkWho: '対象を確認',
    whoOf: '{title}の対象',
    unconfirmed: '※ 詳細は未確認です',
    emergencyTitle: '緊急のときは',
    recommendations: 'おすすめのサービス: {titles}',
    listSeparator: '、',
    noContent: '（内容がありません）',
    fallbackTitle: '子育てコンシェルジュ',
    notice: '子育てコンシェルジュからのお知らせ',
    choose: '選んでください。',
    /**
     * How the sources' own dates (written in Japanese in knowledge/: 「2020年時点」「2017年〜2025年11月」) are put into
     * the card's language; a 日本語 card shows them as written.
     */
    dates: {
      year: '{y}年',
      month: '{y}年{m}月',
      fiscal: '{y}年度',
      point: '{date}時点',
      range: '{from}〜{to}',
      updated: '{date}更新',
      current: '{date}現在',
      postedUnknown: '掲載時期不明',
      partlyUndated: '（一部は時点不明）',
    },
    /** The button on every answer card that reports it as wrong. */
    wrongInfo: 'この情報はまちがっている',
    /** Said on a card whose words are in another language than the parent's (not yet translated): `{language}` its name. */
    fellBack: '（この部分は、いまは {language} で表示しています）',
    facility: {
      address: '住所',
      phone: '電話',
      hours: '時間',
      ages: '対象',
      notConfirmed: '確認できていません',
      sourcesAsOf: '出典（情報の時点）',
      checkedOn: '確認日 {day}',
      callIt: '電話する {tel}',
      callOffice: '子育て支援課に電話 {tel}',
      map: '地図で見る',
      missingThen: '{missing}が分からないときは {name}（TEL {tel}）へ',
      missingAddress: '住所',
      missingPhone: '電話番号',
      missingSeparator: '・',
      alt: '施設のご案内: {list}',
    },
  },
} as const;

/** Looks up one sentence by dotted key (`handoff.closed.staff`). */
export type CopyLookup = (key: string) => string;

export function lookupIn(...trees: CopyTree[]): CopyLookup {
  return (key) => {
    for (const tree of trees) {
      let node: string | CopyTree | undefined = tree;
      for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
      if (typeof node === 'string') return node;
    }
    throw new Error(`no fixed sentence ${key}`);
  };
}

/** A sentence with its `{placeholder}`s filled. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));

/** The sentences that carry no contact, typed, from any copy tree (the Japanese one, or a language's over it). */
export function sentencesFrom(t: CopyLookup) {
  const tree = <K extends string>(prefix: string, keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, t(`${prefix}.${k}`)])) as Record<K, string>;
  const weekdays = t('officeHours.weekdays')
    .split(',')
    .map((d) => d.trim());
  return {
    follow: { thanks: t('follow.thanks'), guide: t('follow.guide'), otherLanguage: t('follow.otherLanguage') },
    joinGroup: t('joinGroup'),
    erase: {
      confirm: t('erase.confirm'),
      button: { label: t('erase.button.label'), displayText: t('erase.button.displayText') },
      done: t('erase.done'),
      delayed: t('erase.delayed'),
      doneLater: t('erase.doneLater'),
    },
    clarify: t('clarify'),
    menuPick: t('menuPick'),
    facetOnly: (facetLabel: string) => fill(t('facetOnly'), { facet: facetLabel }),
    nothingToCancel: t('nothingToCancel'),
    feedback: tree('feedback', ['up', 'down']),
    staffPhrases: tree('staffPhrases', ['wait', 'callUs', 'visit', 'thanks']),
    wrongInfo: {
      ask: t('wrongInfo.ask'),
      thanks: t('wrongInfo.thanks'),
      skip: { label: t('wrongInfo.skip.label'), displayText: t('wrongInfo.skip.displayText') },
    },
    unsupported: tree('unsupported', ['sticker', 'location', 'other']),
    guide: {
      /** The guided consultation's three questions, in the order they are asked. */
      questions: tree('guide.questions', ['who', 'need', 'special']),
      lead: t('guide.lead'),
      restart: t('guide.restart'),
      results: (who: string | undefined) => (who ? fill(t('guide.resultsFor'), { who }) : t('guide.results')),
      alternativesBelow: t('guide.alternativesBelow'),
    },
    handoff: {
      judgment: t('handoff.judgment'),
      requested: t('handoff.requested'),
      alreadyConnected: t('handoff.alreadyConnected'),
      cancelHint: t('handoff.cancelHint'),
      activeNow: t('handoff.activeNow'),
      staffChecking: t('handoff.staffChecking'),
      staffAlsoTold: (officeOpen: boolean) => t(officeOpen ? 'handoff.staffAlsoTold' : 'handoff.staffAlsoToldLater'),
      continuing: (nextSteps: string | undefined) =>
        nextSteps === undefined ? t('handoff.continuing') : fill(t('handoff.continuingThen'), { next: nextSteps }),
      staffGreeting: (staffName: string) => fill(t('handoff.staffGreeting'), { name: staffName }),
      machineTranslated: (text: string) => fill(t('handoff.machineTranslated'), { text }),
      closed: tree('handoff.closed', ['staff', 'idle', 'cancelled']),
    },
    /** Office hours as the parent reads them after a handoff. */
    officeHours: {
      describe: (opens: string, closes: string) => fill(t('officeHours.describe'), { opens, closes }),
      opening: (month: number, day: number, weekday: number, time: string) =>
        fill(t('officeHours.opening'), { month, day, weekday: weekdays[weekday] ?? '', time }),
      openNow: t('officeHours.openNow'),
      closedNow: (reason: string | undefined, opening: string, hours: string) =>
        fill(t('officeHours.closedNow'), {
          why: t(`officeHours.why.${reason === 'holiday' || reason === 'year_end' || reason === 'weekend' ? reason : 'outside'}`),
          opening,
          hours,
        }),
    },
    notUnderstood: t('notUnderstood'),
    offerPerson: t('offerPerson'),
    dangerOver: t('dangerOver'),
    englishEmergencyNote: t('englishEmergencyNote'),
    languageSwitched: t('languageSwitched'),
    languagePick: t('languagePick'),
  };
}

/** The words of the cards' frame, filled by the LINE adapter (src/adapters/line/render.ts). */
export type CardWords = { [K in keyof Omit<typeof JA_COPY.card, 'facility' | 'dates'>]: string } & {
  facility: { [K in keyof typeof JA_COPY.card.facility]: string };
  dates: { [K in keyof typeof JA_COPY.card.dates]: string };
  /** The 「担当者と話す」 button on a card (labels.handoff, labels.handoffSaid). */
  handoff: string;
  handoffSaid: string;
};

export function cardWordsFrom(t: CopyLookup): CardWords {
  const keys = <K extends string>(prefix: string, names: readonly K[]) => Object.fromEntries(names.map((k) => [k, t(`${prefix}.${k}`)])) as Record<K, string>;
  const { facility, dates, ...card } = JA_COPY.card;
  return {
    ...keys('card', Object.keys(card) as (keyof typeof card)[]),
    facility: keys('card.facility', Object.keys(facility) as (keyof typeof facility)[]),
    dates: keys('card.dates', Object.keys(dates) as (keyof typeof dates)[]),
    handoff: t('labels.handoff'),
    handoffSaid: t('labels.handoffSaid'),
  };
}

/** The Japanese words of the cards' frame: one object, so a renderer can tell a Japanese card by identity. */
export const JA_CARD: CardWords = cardWordsFrom(lookupIn(JA_COPY));

/** The Japanese sentences that carry no contact: usable wherever a parent is written to. */
export const JA = sentencesFrom(lookupIn(JA_COPY));

/** 「子育て支援課（子育てコンシェルジュ）」: inside the city's own account the city's name goes without saying. */
const withoutCity = (name: string) => name.replace(/^笠岡市\s*/, '');

/** Every sentence of a copy tree, with those that give the concierge's line made from its contact. */
export function copyFrom(t: CopyLookup, contact: ContactLine) {
  const concierge = fill(t('conciergeLine'), { name: withoutCity(contact.name), tel: contact.tel });
  const withLine = (key: string) => fill(t(key), { concierge, tel: contact.tel });
  return {
    ...sentencesFrom(t),
    concierge,
    conciergeTel: contact.tel,
    outOfScope: withLine('outOfScope'),
    unconfirmedDetail: withLine('unconfirmedDetail'),
    guideNoneFound: withLine('guide.noneFound'),
    handoffCall: (lead: string) => fill(t('handoff.call'), { lead, concierge }),
    distress: withLine('distress'),
    eraseFailed: withLine('erase.failed'),
    englishNote: withLine('englishNote'),
  };
}

/** Every Japanese sentence, with those that give the concierge's line made from its contact. */
export const japaneseCopy = (contact: ContactLine) => copyFrom(lookupIn(JA_COPY), contact);

export type Copy = ReturnType<typeof japaneseCopy>;
