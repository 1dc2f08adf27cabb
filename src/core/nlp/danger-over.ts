/**
 * Whether a message that says its danger is over (a settled phrase ending at `end`; -1 for none) still is: nothing after
 * that phrase names a danger, or only a danger told before it too. 「見つかりました。でも川に落ちていて意識がありません」 and
 * 「けいれんは止まりましたが、呼びかけても反応がない」 are danger now; 「けいれんは止まりました。3分くらいけいれんしてました」 is
 * the same danger told again. A danger after it whose words `wordsIn` cannot place counts as new. The Japanese rules
 * (EmergencyDetector) and the other languages' cues (ForeignCues) judge it the same way, each with its own phrases.
 */
export function stillOver(text: string, end: number, namedIn: (text: string) => boolean, wordsIn: (text: string) => Iterable<string>): boolean {
  if (end < 0) return false;
  const after = text.slice(end);
  if (!namedIn(after)) return true;
  const before = new Set(wordsIn(text.slice(0, end)));
  const words = [...wordsIn(after)];
  return words.length > 0 && words.every((w) => before.has(w));
}
