import { conciergeLine, type ContactLine } from '../../knowledge/concierge-contact.js';

/**
 * Every fixed sentence a parent reads from the bot, in Japanese, in one place: staff review and change the wording
 * here without reading the code around it. What the knowledge base says (answers, emergency guidance) lives in
 * knowledge/ and intents/, not here. The concierge's own name and number come from knowledge/_contacts.yaml, the
 * only place phone numbers are kept; sentences that carry them are made by `japaneseCopy(contact)`.
 */

export { conciergeContact } from '../../knowledge/concierge-contact.js';

/** The sentences that carry no contact: usable wherever a parent is written to. */
export const JA = {
  follow: {
    thanks: '友だち追加ありがとうございます。',
    guide:
      'できること:\n・知りたいことを、ふだんの言葉で送ると答えます（「病児保育の料金は？」など）\n・「自分に合うサービスを知りたい」と送ると、3つの質問であなたの家族に合うサービスを探します\n・「担当者と話す」で、子育て支援課の担当者につなぎます\n急な病気やけがで緊急のときは、迷わず119番に電話してください。',
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
  },
  clarify: 'どれについて知りたいですか？ 近いものを選んでください。',
  menuPick: '知りたいことを選んでください。',
  facetOnly: (facetLabel: string) => `どのサービスの「${facetLabel}」について知りたいですか？ サービスの名前を送っていただくか、下から選んでください。`,
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
    results: (who: string | undefined) =>
      `${who ? `${who}のお子さんの` : ''}ご家庭に合いそうなサービスです。「詳しく見る」で内容を確認できます。対象になるかどうか迷うときは、担当者にご相談ください。`,
    alternativesBelow: 'ほかに合いそうなサービスを下に出しました。',
  },
  handoff: {
    judgment: 'このご相談は、ご家庭の事情をうかがって個別に考える必要があるため、担当の子育てコンシェルジュにおつなぎします。',
    requested: '担当の子育てコンシェルジュにおつなぎします。',
    alreadyConnected: 'すでに担当者へおつなぎしています。お返事をお待ちください。',
    cancelHint: '\nおつなぎを取り消すときは「取り消す」を押してください。',
    activeNow: '担当者が対応しています。このトークでお送りください。',
    staffChecking: '担当者が確認しています。お返事まで、もう少しお待ちください。',
    staffAlsoTold: (officeOpen: boolean) => `子育て支援課の担当者にもお知らせしました。${officeOpen ? '' : '（担当者の対応は受付時間内になります）'}`,
    continuing: (nextSteps: string | undefined) =>
      `担当者へのおつなぎは続いています。このメッセージも担当者に届いています。${nextSteps === undefined ? '' : `\n${nextSteps}`}`,
    staffGreeting: (staffName: string) => `子育てコンシェルジュの${staffName}です。ここからは担当者がお返事します。`,
    closed: {
      staff: '担当者との会話を終了しました。ここからは自動応答でお答えします。またいつでも聞いてください。',
      idle: 'しばらくやりとりがなかったため、担当者との会話を終了しました。ここからは自動応答でお答えします。続けて担当者と話したいときは「担当者と話す」を押してください。',
      cancelled: '担当者へのおつなぎを取り消しました。ここからは自動応答でお答えします。',
    },
  },
  /** Office hours as the parent reads them after a handoff. */
  officeHours: {
    /** 「平日 8:30〜17:15（土日祝日・年末年始はお休み）」 */
    describe: (opens: string, closes: string) => `平日 ${opens}〜${closes}（土日祝日・年末年始はお休み）`,
    /** 「12月1日(月) 8:30」 */
    opening: (month: number, day: number, weekday: number, time: string) => `${month}月${day}日(${'日月火水木金土'[weekday]}) ${time}`,
    openNow: 'ただいま受付時間内です。担当者が確認して、このトークでお返事します。少しお待ちください。',
    closedNow: (reason: string | undefined, opening: string, hours: string) =>
      `${reason === 'holiday' ? '本日は祝日のため' : reason === 'year_end' ? '年末年始のため' : reason === 'weekend' ? '本日は閉庁日のため' : 'ただいま受付時間外のため'}、担当者のお返事は ${opening} 以降になります。受付時間は ${hours} です。`,
  },
  notUnderstood: 'すみません、うまく理解できませんでした。言い方を変えて送っていただくか、下のボタンから選んでください。',
  offerPerson: '\nうまくお答えできていないようです。担当者におつなぎしましょうか？',
  dangerOver:
    'ご連絡ありがとうございます。落ち着いたとのことで、ほっとしました。\nまた様子が変わったり心配になったりしたときは、迷わず119番へ。救急車を呼ぶか迷うときは、小児救急電話相談 #8000 でも相談できます。',
  englishEmergencyNote: 'Emergency: call 119 for an ambulance or fire, 110 for the police. Say where you are and what happened.',
} as const;

/** Every sentence, with those that give the concierge's line made from its contact. */
export function japaneseCopy(contact: ContactLine) {
  const concierge = conciergeLine(contact);
  return {
    ...JA,
    concierge,
    conciergeTel: contact.tel,
    outOfScope: `すみません、そのご用件には、このLINEではお答えできません。このLINEでお答えできるのは、笠岡市の子育て支援（保育園・預かり・手当・健診・予防接種・子育ての相談など）のご案内です。\n市のほかの手続きや大人の方のご用件は、市役所の担当の課にお問い合わせください。どこに聞けばよいか分からないときは ${concierge} がご案内します。`,
    unconfirmedDetail: `詳しくは ${concierge} にお問い合わせください。`,
    guideNoneFound: `お話の条件に合うサービスが見つかりませんでした。担当の子育てコンシェルジュが一緒に探します。\n${concierge}`,
    handoffCall: (lead: string) => `${lead}\nお急ぎのときは ${concierge} へお電話ください。`,
    distress: `毎日本当におつかれさまです。しんどい気持ちを、ひとりで抱えなくて大丈夫です。話を聞いてほしいときは「担当者と話す」から、または ${concierge} にいつでもご相談ください。`,
    eraseFailed: `申し訳ありません。記録を削除できませんでした。お手数ですが、もう一度「私のデータを消して」と送っていただくか、${concierge}にご連絡ください。`,
    englishNote: `This LINE account answers in Japanese for now. To talk with a staff member of the Kasaoka City child-rearing support office, tap 「担当者と話す」 (Talk to staff) or write "talk to staff". Phone (Japanese): ${contact.tel}, weekdays.`,
  };
}

export type Copy = ReturnType<typeof japaneseCopy>;
