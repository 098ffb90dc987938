/**
 * Stop words for keyword extraction: words that say nothing about what a topic is about.
 *
 * English is complete enough for news and forum text (function words, contractions, reporting verbs
 * such as "said", and web leftovers such as "https" or "amp"). German, French and Spanish get compact
 * lists of their most frequent function words. c-TF-IDF already pushes words common to every cluster
 * down; these lists stop them from wasting keyword slots in small clusters where that signal is weak.
 *
 * Words are lower-case, NFKC, with ’ written as '. Lists are whitespace-separated for readability.
 */
const ENGLISH = `
a about above across after afterwards again against ago all almost alone along already also although
always am among amongst an and another any anybody anyone anything anyway anywhere are aren aren't
around as at back be became because become becomes been before beforehand behind being below beside
besides between beyond both but by can can't cannot could couldn couldn't did didn didn't do does
doesn doesn't doing don don't done down during each either else elsewhere enough even ever every
everybody everyone everything everywhere except few for former formerly from further get gets getting
got had hadn hadn't has hasn hasn't have haven haven't having he he'd he'll he's hence her here here's
hers herself him himself his how how's however i i'd i'll i'm i've if in indeed into is isn isn't it
it's its itself just latter latterly least less let let's like likely made make makes many may maybe
me meanwhile might mine more moreover most mostly much must mustn mustn't my myself namely neither
never nevertheless next no nobody none noone nor not nothing now nowhere of off often on once one only
onto or other others otherwise our ours ourselves out over own per perhaps please quite rather really
same say says said see seem seemed seeming seems several shall shan shan't she she'd she'll she's
should shouldn shouldn't since so some somebody someone something sometime sometimes somewhere still
such than that that's the their theirs them themselves then thence there there's thereafter thereby
therefore therein these they they'd they'll they're they've this those though through throughout thus
to together too toward towards under until up upon us very via was wasn wasn't we we'd we'll we're
we've were weren weren't what what's whatever when when's whence whenever where where's whereas
wherever whether which while whilst who who's whoever whole whom whose why why's will with within
without won won't would wouldn wouldn't yet you you'd you'll you're you've your yours yourself
yourselves
new news today yesterday tomorrow week weeks year years day days time times lot lots thing things way
ways use used using want wants told tell tells according report reports reported amid including
include includes reuters via
http https www com org net html htm php amp nbsp utm ref
`;

const GERMAN = `
aber alle allem allen aller alles als also am an andere anderen auch auf aus bei beim bin bis bist da
dabei dadurch daher damit dann darauf darum das dass dem den denen denn der deren des deshalb dich die
dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines er es
etwa euch euer für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr
ihre ihrem ihren ihrer im in ins ist ja jede jedem jeden jeder jedes jetzt kann kein keine keinem
keinen keiner können könnte machen man mehr mein meine mich mir mit muss nach nicht nichts noch nun nur
ob oder ohne schon sehr sein seine seinem seinen seiner sich sie sind so soll sollte sondern um und uns
unser unter viel vom von vor war waren warum was weil weiter welche welchem welchen welcher wenn wer
werde werden wie wieder will wir wird wo wurde wurden zu zum zur über
`;

const FRENCH = `
à afin ai aie ainsi alors au aucun aucune aussi autre autres aux avait avant avec avez avoir avons
bon car ce ceci cela celle celles celui cependant ces cet cette ceux chaque chez comme comment dans de
depuis des deux doit donc dont du elle elles en encore entre est et été être eu fait faire fois font
hors ici il ils je jusqu jusque la le les leur leurs lors lui mais me même mes moi moins mon ne ni nos
notre nous on ont ou où par parce pas peu peut plus pour pourquoi quand que quel quelle quelles quels
qui quoi sa sans se selon ses si son sont sous sur ta tandis te tes toi ton tous tout toute toutes
très tu un une vers via vos votre vous
`;

const SPANISH = `
al algo algunas algunos ante antes aquí así aun aunque cada como con contra cual cuales cuando de del
desde donde dos durante el él ella ellas ellos en entre era eran es esa esas ese eso esos esta está
están estas este esto estos fue fueron ha había han hasta hay la las le les lo los más me mi mis mucho
muy nada ni no nos nosotros o otra otras otro otros para pero poco por porque que qué quien quienes se
sea según ser si sí sin sobre son su sus también tan te tener tiene tienen todo todos tu tus un una
uno unos y ya yo
`;

/**
 * Function words of the compact lists that are also English content words ("war" is German for "was";
 * "car" is French for "because"). They are stop words only when the item is known to be in that
 * language, never for text of unknown language, where the English meaning is the likelier one.
 */
const ENGLISH_HOMOGRAPHS = new Set(
  words('bin den die hat man mit war ai car font plus pour son ton ante con dos era han hay sea sin tan'),
);

function words(list: string): string[] {
  return list.split(/\s+/).filter((word) => word.length > 0);
}

const english = new Set(words(ENGLISH));
const byLanguage: Record<string, ReadonlySet<string>> = {
  de: new Set([...english, ...words(GERMAN)]),
  fr: new Set([...english, ...words(FRENCH)]),
  es: new Set([...english, ...words(SPANISH)]),
  en: english,
};
const anyLanguage: ReadonlySet<string> = new Set([
  ...english,
  ...[...words(GERMAN), ...words(FRENCH), ...words(SPANISH)].filter((w) => !ENGLISH_HOMOGRAPHS.has(w)),
]);

/**
 * The stop words for text in `language` (an ISO 639-1 code or a tag such as 'de-AT'): English plus
 * that language's list. For any other or unknown language ('und'), English plus the compact lists
 * minus the words that are also English content words.
 */
export function stopWordsFor(language?: string): ReadonlySet<string> {
  const primary = language?.toLowerCase().split(/[-_]/)[0];
  return (primary && byLanguage[primary]) || anyLanguage;
}
