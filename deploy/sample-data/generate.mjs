#!/usr/bin/env node
/**
 * Writes posts.jsonl next to this file: the synthetic week of posts `trendmill run` imports on start.
 *
 * Every post below was written for Trendmill; the people, companies, places and events are invented.
 * The posts are kept here as data rather than edited in the JSONL so that ids, URLs, time zones and
 * ordering stay consistent when a post is added or moved: `node deploy/sample-data/generate.mjs`.
 *
 * Each post carries `metadata.sampleTopic` (the topic it was written for, `noise` for one-offs) so tests
 * can score clustering against it; re-posts also carry `metadata.sampleRepostOf` (the original's id).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const OUT = fileURLToPath(new URL('./posts.jsonl', import.meta.url));

/**
 * Where posts appear. `offset` is the site's UTC offset in minutes: publishedAt is written in the
 * site's local time with that offset, so the importer sees a mix of `Z`, `+01:00` and `-05:00`.
 */
const SITES = {
  news: { url: (slug) => `https://news.example.org/2026/11/${slug}`, offset: 0, lang: 'en' },
  wire: { url: (slug) => `https://wire.example.com/story/${slug}`, offset: 0, lang: 'en-GB' },
  blog: { url: (slug) => `https://blog.example.net/posts/${slug}`, offset: -300, lang: 'en-US' },
  tech: { url: (slug) => `https://techdesk.example.com/articles/${slug}`, offset: -480, lang: 'en-US' },
  europe: { url: (slug) => `https://europe.example.org/${slug}`, offset: 60, lang: 'en' },
  forum: { url: (slug, n) => `https://forum.example.com/t/${slug}/${n}`, offset: 0, lang: undefined },
  calder: { url: (slug) => `https://calderbay.example.com/news/${slug}`, offset: -300, lang: 'en-US' },
  space: { url: (slug) => `https://space.example.org/news/${slug}`, offset: 0, lang: 'en' },
  markets: { url: (slug) => `https://markets.example.com/commodities/${slug}`, offset: -300, lang: 'en-US' },
  security: { url: (slug) => `https://security.example.net/${slug}`, offset: 0, lang: 'en' },
  sport: { url: (slug) => `https://sport.example.org/athletics/${slug}`, offset: 0, lang: 'en-GB' },
  norwick: { url: (slug) => `https://norwick.example.com/local/${slug}`, offset: 0, lang: 'en-GB' },
  home: { url: (slug) => `https://home.example.net/guides/${slug}`, offset: 60, lang: 'en' },
  de: { url: (slug) => `https://de.example.org/artikel/${slug}`, offset: 60, lang: 'de' },
  fr: { url: (slug) => `https://fr.example.org/actualites/${slug}`, offset: 60, lang: 'fr' },
  es: { url: (slug) => `https://es.example.org/noticias/${slug}`, offset: -300, lang: 'es' },
};

const posts = [];
let declared = 0;

/**
 * One original post. `when` is 'DD HH:MM' in UTC in November 2026. Options: `summaryOnly` (the text
 * goes in `summary`, as feeds that carry no body do), `noDate` (no publishedAt; `when` still orders the
 * file), `key` (to re-post it later).
 */
function post(topic, site, when, author, title, text, options = {}) {
  posts.push({ kind: 'post', order: declared++, topic, site, when, author, title, text, ...options });
}

/** The same article again under its URL plus tracking parameters, seen at `when`. */
function repost(key, when, query) {
  posts.push({ kind: 'repost', order: declared++, key, when, query });
}

// ---------------------------------------------------------------------------------------------------
// open-weight-model (35, growing): an AI lab publishes the weights of a large language model.
// ---------------------------------------------------------------------------------------------------
const M = 'open-weight-model';
post(
  M,
  'news',
  '19 16:05',
  'Clara Voss',
  'Larkspur AI publishes full weights of its 70-billion-parameter Kestrel 2 model',
  'Larkspur AI on Thursday made the trained parameters of Kestrel 2 available for anyone to download, along with a technical report describing its training mix. The company says the model matches closed commercial assistants on reasoning and coding tests while fitting on a single high-end workstation once compressed. Chief scientist Imogen Farrow said the release was meant to give universities and small companies a system they can inspect and adapt rather than rent.',
  { key: 'kestrel-launch' },
);
post(
  M,
  'blog',
  '19 18:40',
  'Jonah Pike',
  'First impressions: the new open LLM from Larkspur is surprisingly good at code',
  "I spent the afternoon throwing my usual set of refactoring tasks at the freshly released checkpoint. It handled a gnarly TypeScript generics problem that tripped up last year's open models, and its explanations were shorter and more to the point. Long contexts still make it wander, but for a free download this is a big step.",
);
post(
  M,
  'forum',
  '19 21:15',
  'tensor_gremlin',
  'Anyone managed to run Kestrel 2 on two consumer graphics cards?',
  'Downloaded the 4-bit quantized files tonight. With two 24 GB cards I get about 11 tokens per second, which is usable for chat but slow for batch jobs. Curious whether anyone has tried offloading some layers to system RAM instead.',
);
post(
  M,
  'news',
  '20 07:30',
  'Priyanka Dutta',
  'Why researchers are cheering a downloadable rival to paid chatbots',
  'Academic groups have long complained that they could only study leading language models through paid interfaces that change without notice. With this week\'s release of openly downloadable weights from Larkspur, labs can now probe the internals, reproduce evaluations and publish results others can verify. "It changes what a PhD student can do on a grant budget," said computational linguist Dr. Tomasz Wierzbicki.',
);
post(
  M,
  'tech',
  '20 10:20',
  'Marcus Bell',
  "The fine print: what Larkspur's licence actually allows",
  'The model files are free, but the licence is not a standard open-source one. Companies with more than 50 million monthly users need a separate agreement, and outputs may not be used to train competing systems. Lawyers who reviewed the text say it resembles other "open weights" licences and stops short of what the Open Source Initiative would accept.',
);
post(
  M,
  'tech',
  '20 13:45',
  'Marcus Bell',
  'Benchmark roundup: how the 70B release compares on math, code and reasoning',
  'We ran the newly published model through twelve public test suites. It leads every other freely downloadable system on grade-school math and Python generation, trails the top commercial assistants by a few points on graduate-level science questions, and struggles with multi-step planning puzzles.',
  { summaryOnly: true },
);
post(
  M,
  'wire',
  '20 19:10',
  'Harriet Okoye',
  'Hosting providers race to offer Kestrel 2 through paid APIs',
  '<p>Within a day of the release, at least four cloud inference services listed the model on their price pages, several at under a dollar per million tokens.</p><p>That undercuts proprietary offerings by a wide margin &amp; puts pressure on rivals. See the <a href="https://example.com/pricing-tracker">pricing tracker</a> for the current list.</p>',
);
post(
  M,
  'de',
  '21 06:50',
  'Katrin Albers',
  'Larkspur veröffentlicht offenes Sprachmodell mit 70 Milliarden Parametern',
  'Das Unternehmen Larkspur AI hat die Gewichte seines neuen Sprachmodells frei zum Herunterladen bereitgestellt. Nach ersten Tests liegt das System bei Programmier- und Matheaufgaben nahe an kommerziellen Chatbots. Forschende an deutschen Hochschulen begrüßen, dass sie das Modell nun selbst prüfen und anpassen können, kritisieren aber die Lizenzbedingungen.',
);
post(
  M,
  'news',
  '21 09:05',
  'Clara Voss',
  'Safety researchers find the new open model easy to jailbreak',
  'A red-teaming group at the Halvorsen Institute reported that simple role-play prompts got the system to explain how to pick commercial locks and write convincing phishing emails. Larkspur responded that it had published a separate moderation classifier alongside the weights and that deployers are expected to use it. Critics argue that safeguards anyone holding the files can strip off are not safeguards at all.',
);
post(
  M,
  'tech',
  '21 11:30',
  'Dana Whitfield',
  "Quantized builds of Larkspur's model pass a million downloads",
  'Community-made compressed versions of the 70-billion-parameter model have been downloaded more than a million times across model hubs in under 48 hours. The smallest variants run on laptops with 64 GB of memory, though with a visible loss in accuracy. Maintainers of popular local inference tools shipped updates overnight to support the new architecture.',
);
post(
  M,
  'wire',
  '21 14:00',
  'Samuel Achebe',
  'Startups weigh switching from paid AI APIs to self-hosted weights',
  'Founders of three small software companies told us they are testing whether the free model can replace the commercial assistant they pay for each month. The appeal is predictable costs and keeping customer data on their own servers. The catch, said one CTO, is that running the thing reliably at scale needs engineers they do not have.',
);
post(
  M,
  'forum',
  '21 16:40',
  'borrowck_blues',
  'Kestrel 2 keeps inventing library functions that do not exist',
  'Loving the speed, but in a Rust project it confidently called three crate methods that have never existed. When I pointed it out, it apologised and invented a fourth. Is this worse than other models, or am I just noticing it more because I am running it locally?',
);
post(
  M,
  'europe',
  '21 19:25',
  'Ana Lindgren',
  'Open-weight AI release reignites debate over publishing powerful models',
  'Policy analysts split sharply this week over whether labs should hand out the internals of capable language systems. Supporters point to transparency and competition; opponents say misuse cannot be recalled once files are mirrored worldwide. A spokesperson for the EU AI Office said the agency is "examining the documentation provided" under the rules for general-purpose models.',
);
post(
  M,
  'tech',
  '21 22:10',
  'Dana Whitfield',
  'Training Kestrel 2 took about four million GPU hours, report says',
  'The technical report accompanying the release estimates that pre-training consumed roughly four million accelerator hours on a cluster in northern Sweden powered largely by hydroelectricity. The authors disclose the broad composition of the 15-trillion-token dataset but not the individual sources, a gap that data-transparency advocates were quick to point out.',
);
post(
  M,
  'blog',
  '22 07:15',
  'Jonah Pike',
  "Developers publish first specialised fine-tunes of Larkspur's model",
  'Less than three days after the weights appeared, hobbyists and companies have released versions tuned for medical question answering, legal drafting and tabletop role-playing games. Some were trained on only a few thousand examples on a single rented machine. The speed shows how quickly an open base model turns into an ecosystem.',
);
post(
  M,
  'wire',
  '22 08:40',
  'Harriet Okoye',
  "Rival AI lab hints at its own open release after Larkspur's move",
  'Executives at Northwind Intelligence, which has kept its flagship models behind a paid interface, said in an interview that they are "reviewing" whether to publish weights for an older system. Analysts read the comment as a direct response to the attention Larkspur has drawn this week. Investors, meanwhile, are asking how any lab makes money from models it gives away.',
);
post(
  M,
  'home',
  '22 10:05',
  'Felix Brandt',
  'How to run the new 70B language model locally: a practical guide',
  '<p>You will need roughly 40 GB of GPU or unified memory for the 4-bit build.</p><ul><li>Download the quantized files from the official mirror</li><li>Update your inference runtime to the latest release</li><li>Start with an 8k context &amp; raise it once things are stable</li></ul><p>Expect 8&ndash;15 tokens per second on recent desktop hardware.</p>',
);
post(
  M,
  'news',
  '22 11:50',
  'Priyanka Dutta',
  "Teachers test a free AI tutor built on Larkspur's model",
  "A group of secondary-school teachers in Leeds wired the newly released model into a homework helper that runs on the school's own server, so pupils' questions never leave the building. Early feedback is positive for maths explanations but mixed for history essays, where the system sometimes states dates with false confidence.",
);
post(
  M,
  'tech',
  '22 13:20',
  'Ravi Menon',
  'Kestrel 2 speaks decent Polish, Swahili and Tagalog, testers find',
  'Volunteers evaluating the model in twenty languages found it far stronger outside English than previous open releases, likely because a quarter of its training text was not English. Quality drops for languages with little web presence, and translations of idioms remain stilted.',
);
post(
  M,
  'forum',
  '22 15:00',
  'freeas_inbeer',
  'Is the "open" in open weights just marketing? Long thread',
  'Genuine question after reading the licence: if I cannot see the training data and cannot use outputs to build a competitor, how is this open? It is more like freeware with a very large binary. That said, I would still rather have it than not.',
);
post(
  M,
  'blog',
  '22 16:45',
  'Tessa Moreland',
  'Second-hand GPU prices jump as hobbyists rush to run the new model',
  'Listings for used 24 GB graphics cards climbed about 15 percent on auction sites since Thursday, according to a price tracker run by enthusiasts. Sellers openly advertise the cards as able to "run Kestrel at home". Retailers report a smaller bump in new workstation orders.',
);
post(
  M,
  'wire',
  '22 18:30',
  'Samuel Achebe',
  'Larkspur CEO defends releasing model weights: "Secrecy is not safety"',
  'In a lengthy post, Larkspur chief executive Daniel Osei argued that keeping frontier language systems closed concentrates power in a handful of firms without making the public safer. He said the company tested the model against biological and cyber misuse benchmarks before publication and found no meaningful uplift over existing search engines.',
);
post(
  M,
  'news',
  '22 20:10',
  'Grace Holloway',
  'Hospital IT team evaluates on-premise AI for drafting clinical notes',
  'The informatics group at a regional hospital network is trialling the newly released open model to draft discharge summaries, precisely because the weights can run inside its own data centre. Clinicians must approve every draft, and the pilot excludes any automated decisions. Privacy officers called it the first large model they could approve under local rules.',
);
post(
  M,
  'tech',
  '22 21:35',
  'Ravi Menon',
  "Independent audit finds gaps in Larkspur's published safety card",
  'A review by the non-profit Signal Ledger found that the safety documentation released with the model omits results for several standard bias tests. The reviewers also could not reproduce two of the refusal-rate figures. Larkspur said an updated card would follow next week.',
);
repost('kestrel-launch', '22 22:30', 'utm_source=newsletter&utm_medium=email&utm_campaign=weekend-digest');
post(
  M,
  'europe',
  '23 06:20',
  'Ana Lindgren',
  'What the open 70B release means for small European AI companies',
  'Founders in Paris, Berlin and Lisbon say a strong model they can fine-tune and host themselves lowers the barrier to building products in their own languages. They still worry about compliance costs under EU rules for general-purpose AI, which may fall on whoever modifies and deploys the model.',
);
post(
  M,
  'tech',
  '23 07:55',
  'Marcus Bell',
  "Kestrel 2 against last year's open models: a side-by-side coding test",
  "We gave three freely downloadable models the same 40 programming tasks. Larkspur's new release solved 31, the best of last year's systems 22. The gap was widest on tasks that required several files to be edited consistently.",
  { summaryOnly: true },
);
post(
  M,
  'blog',
  '23 01:10',
  'Tessa Moreland',
  'Open-source tooling projects scramble to support a new model architecture',
  'The model combines grouped attention with a new positional encoding, which broke several community inference engines on release day. Volunteer maintainers say they merged more pull requests this weekend than in the previous month. Most popular tools now support it, though speed optimisations are still landing.',
);
post(
  M,
  'wire',
  '23 08:30',
  'Harriet Okoye',
  'Lawmakers ask whether freely released AI systems need new rules',
  "Members of a parliamentary technology committee have asked officials to brief them on the risks of downloadable AI systems after this week's high-profile release. One MP asked who is liable when a modified copy causes harm. Industry groups warned that restricting publication would mainly hurt universities and small firms.",
);
post(
  M,
  'forum',
  '23 00:15',
  'ticket_triage_tom',
  "We put Larkspur's model on customer support tickets in production, AMA",
  'We moved our tier-one support drafts from a paid API to the self-hosted 70B model on Friday. Latency is fine on two rented GPUs, cost is down about 70 percent, and agents say drafts need slightly more editing. Happy to answer questions about the setup.',
);
post(
  M,
  'news',
  '23 03:40',
  'Grace Holloway',
  'Why giving away a state-of-the-art language model can be good business',
  'Larkspur does not charge for the weights, but it sells managed hosting, enterprise support and custom fine-tuning. Analysts compare the approach to open-source database companies that earn money from service rather than code. The risk is that cloud giants host the free model more cheaply than Larkspur can.',
);
post(
  M,
  'europe',
  '22 23:05',
  'Ana Lindgren',
  'Artists and authors question the data behind the new open AI model',
  'Groups representing illustrators and novelists asked Larkspur to disclose whether copyrighted books and artworks were in its training corpus. The company\'s report describes the data only in broad categories. A lawyer for the authors\' association said the free release "does not make the question of consent go away".',
);
post(
  M,
  'blog',
  '23 04:30',
  'Jonah Pike',
  'Estimating the energy cost of running big language models at home',
  "If a million people run a 70-billion-parameter model on desktop GPUs for an hour a day, the electricity use could rival a small town's, a back-of-the-envelope analysis suggests. Shared data-centre hosting is far more efficient per query. The authors stress that the numbers are rough and depend heavily on hardware.",
);
post(
  M,
  'tech',
  '23 05:45',
  'Dana Whitfield',
  'Larkspur patches tokenizer bug reported by community testers',
  "An update to the model's tokenizer files fixes a problem that garbled output for some accented characters and emoji. The bug was reported on the project's forum on Saturday and fixed within a day. Users of quantized versions should download the new tokenizer, the company said.",
);
post(
  M,
  'news',
  '23 07:00',
  'Clara Voss',
  'Week in AI: one free download dominated the conversation',
  "This week's biggest story was not a product launch behind a paywall but a set of files anyone could download. From benchmark charts to licence arguments and GPU price spikes, the open release from Larkspur touched nearly every corner of the field. We round up the best coverage and what to watch next.",
);

// ---------------------------------------------------------------------------------------------------
// transit-strike (25, fading): a city's bus and tram workers strike Monday to Wednesday.
// ---------------------------------------------------------------------------------------------------
const T = 'transit-strike';
post(
  T,
  'calder',
  '16 10:10',
  'Nora Castellanos',
  'Calder Bay buses and trams halted as transit workers walk out',
  'No buses or trams left the depots in Calder Bay on Monday morning after drivers and maintenance staff began an open-ended strike. The union says wages have fallen behind rents in the city for five years running. The transit authority urged residents to work from home where possible.',
  { key: 'strike-begins' },
);
post(
  T,
  'calder',
  '16 12:25',
  'Owen Hargreaves',
  'Commuters face gridlock on first morning of the transport strike',
  'Traffic on the main bridges into the city centre was at a standstill before 7 a.m. as people who normally ride the tram took to their cars. Some employers let staff start late; hospitals arranged shuttle vans for night-shift nurses. "I left home at five and I\'m still not at work," said warehouse worker Priya Raman.',
);
post(
  T,
  'forum',
  '16 13:00',
  'ferrydeck_fiona',
  'Strike day one: what is actually running in Calder Bay?',
  'Compiling what I know. Ferries are running normally, the airport coaches are private and still operating, and the bike share says it has added extra docks at the central station. Every city bus and tram line is out. Add anything I missed.',
);
post(
  T,
  'news',
  '16 16:15',
  'Thabo Nkosi',
  'Union leader: "Drivers can\'t afford to live on the routes they drive"',
  'Speaking at a picket outside the Westgate depot, union branch secretary Maureen Adeyemi said members had rejected a 2.5 percent offer because it did not keep pace with inflation. She said the union is ready to negotiate "tonight if management comes with a real number". The authority says anything more would force fare rises.',
);
post(
  T,
  'blog',
  '16 22:30',
  'Kelsey Tran',
  'Ride-hailing prices triple as public transport stands still',
  "App-based taxi fares in Calder Bay surged to as much as three times normal levels during Monday's rush hours, according to riders who shared screenshots. One company said it had capped surge pricing in the afternoon after complaints. Scooter rentals also hit a record.",
);
post(
  T,
  'calder',
  '16 21:45',
  'Owen Hargreaves',
  'Small businesses downtown report empty shops during the walkout',
  'Cafés and shops near the central tram interchange said footfall dropped by half on Monday. "Our lunch trade is commuters, and the commuters aren\'t here," said bakery owner Luis Ferreira. The chamber of commerce called on both sides to accept mediation.',
);
post(
  T,
  'calder',
  '16 17:20',
  'Nora Castellanos',
  'How to get around Calder Bay while the buses are on strike',
  '<p>With buses and trams out of service, here are the alternatives:</p><ul><li>Harbour ferries run every 20 minutes</li><li>Bike share is free for the duration of the dispute</li><li>Schools are open &amp; have arranged car pools</li></ul><p>Check the <a href="https://calderbay.example.com/live">live updates page</a> before you travel.</p>',
);
post(
  T,
  'news',
  '16 19:40',
  'Thabo Nkosi',
  'Mayor calls for urgent mediation to end public transport dispute',
  'Mayor Helen Okafor said she had asked the regional labour mediation service to bring the union and the transit authority together on Tuesday. She declined to say whether the city would add funding to close the pay gap. "Every day the network is down costs this city dearly," she said.',
);
post(
  T,
  'blog',
  '17 05:05',
  'Kelsey Tran',
  'Night workers stranded as late-service buses are cancelled',
  'Cleaners, kitchen staff and care workers who rely on night buses were left to walk or pay for taxis on Monday night. Community groups organised volunteer drivers through a messaging group. Several said they could not afford to keep doing this for more than a few days.',
);
post(
  T,
  'calder',
  '17 11:30',
  'Nora Castellanos',
  'Second day without buses or trams as mediator prepares to meet both sides',
  'Depots stayed shut for a second morning as the regional mediator prepared to host the first talks since the stoppage began. Traffic was lighter than on Monday as more offices told staff to work remotely. Both sides said they would attend "in good faith".',
);
post(
  T,
  'news',
  '17 15:50',
  'Isabel Moreno',
  'Students miss exams as the school commute collapses',
  "Hundreds of secondary pupils who rely on school tram services missed morning exams on Tuesday, according to the regional education office. Schools will offer resits next month. Parents' associations asked the union to exempt school routes, which the union declined.",
);
post(
  T,
  'calder',
  '17 14:15',
  'Owen Hargreaves',
  'Picket lines grow as maintenance crews join striking drivers',
  'Workshop mechanics and track engineers, who had stayed at work on Monday, joined the pickets on Tuesday morning. Their participation means that even after a deal, getting vehicles back into service may take a day of safety checks, the authority warned.',
);
repost('strike-begins', '17 13:00', 'utm_source=facebook&utm_medium=social');
post(
  T,
  'wire',
  '17 20:40',
  'Gareth Lloyd',
  'Transit authority says the walkout is costing $1.4 million a day',
  'Finance director Graham Whitlock told the city council that lost ticket revenue and contract penalties add up to about $1.4 million for every day the network is idle. Union officials countered that a fair settlement would cost less than a week of the stoppage.',
);
post(
  T,
  'blog',
  '17 14:55',
  'Kelsey Tran',
  'Bike share trips jump fivefold while the trams stay in the depot',
  "The city's bicycle rental scheme logged more than 60,000 trips on Monday, five times a normal weekday. Operators moved bikes by van overnight to refill empty docks in the suburbs. Cycling campaigners hope some of the new riders will stick with it.",
);
post(
  T,
  'forum',
  '17 16:30',
  'route9_regular',
  'Honestly, I support the drivers even though this week is miserable',
  "My commute went from 25 minutes to nearly two hours and I am still on the union's side. The drivers on my route have been there for years and they know every regular by name. If the authority can find money for a new headquarters, it can find money for wages.",
);
post(
  T,
  'news',
  '17 18:45',
  'Isabel Moreno',
  'Hospitals warn of staff shortages as the stoppage drags on',
  'Two hospitals said that about one in ten scheduled staff could not get to work on Tuesday. Non-urgent outpatient appointments were postponed. Health officials asked that medical staff be given priority on volunteer shuttle services.',
);
post(
  T,
  'calder',
  '18 02:10',
  'Nora Castellanos',
  'Mediated talks end late with "progress" but no agreement',
  'After nine hours at the mediation service, negotiators for drivers and management left without a deal but agreed to return on Wednesday morning. The mediator said the gap on pay had narrowed. Services will not run on Wednesday.',
);
post(
  T,
  'calder',
  '18 12:00',
  'Owen Hargreaves',
  'Third morning of shutdown as negotiators return to the table',
  "Commuters faced a third morning without public transport as negotiators returned to the table. People close to the talks say the authority has improved its offer to 4 percent over one year with a further review in spring. The union's executive is expected to consider it this afternoon.",
);
post(
  T,
  'wire',
  '18 16:30',
  'Gareth Lloyd',
  'Economists put the cost of the Calder Bay stoppage in the tens of millions',
  "A local university's economics department estimated that lost working hours, cancelled shopping trips and extra fuel have cost the city economy around $30 million since Monday. The authors note that much of that is delayed rather than lost, as people shift purchases to later in the month.",
);
post(
  T,
  'news',
  '18 23:50',
  'Thabo Nkosi',
  'Tentative deal reached to end Calder Bay bus and tram strike',
  'The union and the transit authority announced a tentative agreement on Wednesday evening that includes a 4.5 percent raise this year, a housing allowance for new drivers and limits on split shifts. Members will vote on Friday, but the union has suspended the strike. The authority says partial service will resume on Thursday after safety checks.',
);
post(
  T,
  'calder',
  '19 01:15',
  'Nora Castellanos',
  'What is in the new pay agreement for transit workers, clause by clause',
  '<p>The deal covers pay, shifts &amp; recruitment:</p><ul><li>4.5% pay rise from January</li><li>$200 monthly housing support for drivers in their first three years</li><li>No more than one split shift per week</li></ul><p>The full text is on the <a href="https://example.com/cbt-agreement.pdf">authority&#39;s site</a>.</p>',
);
post(
  T,
  'blog',
  '19 03:30',
  'Marisol Vega',
  'Opinion: relief for riders, but trust in the network will take time',
  'The dispute is over, but the week has left a mark. Riders who found other ways to work may not return quickly, and the authority now has to fund a deal it said it could not afford. City leaders should treat this as a warning about housing costs as much as about transport.',
);
post(
  T,
  'calder',
  '19 11:45',
  'Owen Hargreaves',
  'Trams roll again in Calder Bay as the stoppage ends',
  'The first trams left the depots just after 6 a.m. on Thursday, with about 70 percent of routes running by the morning peak. Buses will return to a full timetable on Friday. Passengers were greeted with free coffee at the central station.',
);
post(
  T,
  'news',
  '20 14:20',
  'Thabo Nkosi',
  'Drivers begin voting on the deal that ended the three-day walkout',
  'Ballots went out to union members on Friday, with results due on Sunday. Branch officials are recommending acceptance. A rejection would not automatically restart industrial action, the union said.',
);

// ---------------------------------------------------------------------------------------------------
// lunar-landing (20, growing): a robotic lander and rover at the Moon's south pole.
// Related to orbital-debris (both spaceflight) but a different story.
// ---------------------------------------------------------------------------------------------------
const L = 'lunar-landing';
post(
  L,
  'space',
  '17 12:00',
  'Yusuf Demir',
  'Hesper lander slips into lunar orbit ahead of south pole attempt',
  'The robotic Hesper spacecraft fired its main engine for eleven minutes on Tuesday and is now circling the Moon, mission controllers at the Meridian Space Alliance confirmed. Over the next four days it will lower its orbit to about 15 kilometres before attempting a soft landing on a ridge beside a permanently shadowed crater.',
);
post(
  L,
  'news',
  '19 09:30',
  'Lena Fischer',
  "Why the Moon's south pole is the most coveted real estate in space",
  "Craters near the lunar south pole never see sunlight, and scientists believe their floors hold water ice that has been accumulating for billions of years. Ice could one day supply drinking water, oxygen and rocket propellant for crews. That is why several agencies, including the team behind this week's Hesper mission, are aiming there despite the rugged terrain.",
);
post(
  L,
  'space',
  '19 15:10',
  'Yusuf Demir',
  'Mission controllers rehearse the final minutes before touchdown on the Moon',
  'Engineers at the Toulouse control centre ran three full simulations of the powered descent on Thursday, including one in which the laser altimeter fails halfway down. The lander must pick a safe spot on its own, because radio signals take too long for people on Earth to intervene.',
);
post(
  L,
  'space',
  '20 08:00',
  'Meera Iyer',
  'Hesper sends sharp photos of its landing zone from low orbit',
  "New images from the spacecraft's descent camera show boulder fields and long shadows across the target ridge near Shackleton crater. Scientists say the surface inside the chosen landing ellipse looks smoother than orbital maps had suggested. The descent is scheduled for early Saturday, UTC.",
);
post(
  L,
  'news',
  '20 13:25',
  'Lena Fischer',
  'How to watch the lunar landing attempt this weekend',
  '<p>Coverage begins at 01:30 UTC on Saturday, with touchdown expected at 02:14.</p><p>Stream it on the <a href="https://space.example.org/hesper-live">mission page</a> or follow our live blog &amp; commentary.</p>',
);
post(
  L,
  'forum',
  '20 19:50',
  'regolith_rick',
  'Predictions thread: will the Hesper lander stick the landing?',
  'Historically about half of robotic landing attempts on the Moon have failed, and the polar terrain is harder than the equatorial plains. I am going with a 60 percent chance of a clean touchdown. What are your odds?',
);
post(
  L,
  'space',
  '21 02:40',
  'Meera Iyer',
  "Touchdown confirmed as Hesper lands near the Moon's south pole",
  'The Meridian Space Alliance confirmed at 02:14 UTC on Saturday that its Hesper lander had touched down softly on a ridge near Shackleton crater. The control room erupted in applause when the first telemetry showed the spacecraft upright and its solar panels generating power. "We are on the Moon, and we are healthy," said flight director Anouk de Vries.',
  { key: 'hesper-touchdown' },
);
post(
  L,
  'fr',
  '21 04:15',
  'Camille Roussel',
  "L'atterrisseur Hesper se pose près du pôle sud de la Lune",
  "La sonde Hesper, construite par une alliance de six pays, s'est posée samedi matin sur une crête près du cratère Shackleton. Les premières données montrent que l'engin est stable et que ses panneaux solaires produisent de l'électricité. Les scientifiques espèrent confirmer la présence de glace d'eau dans les zones d'ombre permanente.",
);
post(
  L,
  'news',
  '21 07:30',
  'Lena Fischer',
  'First picture from the lunar surface shows long shadows and a folded rover',
  "The lander's mast camera returned a grainy black-and-white frame of the horizon, with the Sun barely a few degrees above it. In the foreground, the folded Wren rover sits on its deployment ramp. Engineers plan to release it on Sunday after checking the wheels and heaters.",
);
post(
  L,
  'wire',
  '21 10:45',
  'Oliver Grant',
  'A good night for robotic Moon exploration after years of crashes',
  "The successful landing follows a string of private and national landers that tipped over or hit the surface too fast. Experts credit Hesper's hazard-avoidance system, which diverted the spacecraft 40 metres sideways in the last seconds to avoid a boulder.",
);
post(
  L,
  'space',
  '21 15:20',
  'Yusuf Demir',
  'Space agencies congratulate the alliance on its polar Moon landing',
  'Messages of congratulation arrived from space agencies in the United States, India, Japan and Canada within hours of the touchdown. Several said they hope to share data from the site to plan crewed missions later in the decade.',
);
post(
  L,
  'forum',
  '21 21:00',
  'gnc_nerd',
  'That last-second sidestep in the landing replay is incredible',
  'Watch the descent video at quarter speed: at about 30 metres altitude the craft slides sideways, hovers for two seconds and sets down right next to a boulder the size of a car. All autonomous. Whoever wrote that guidance software deserves a medal.',
);
post(
  L,
  'space',
  '22 06:10',
  'Meera Iyer',
  'Wren rover drives off the lander and onto lunar soil',
  'The 30-kilogram rover rolled down its ramp on Sunday morning and drove two metres onto the regolith, leaving clear wheel tracks in the first photos. Its first target is a small shadowed depression 80 metres away, where instruments will look for signs of frozen water.',
);
repost('hesper-touchdown', '22 09:00', 'utm_source=twitter&utm_medium=social&utm_campaign=hesper');
post(
  L,
  'blog',
  '22 11:35',
  'Ellis Navarro',
  'Surviving the cold: how the polar lander manages power and heat',
  'Even in sunlight, temperatures in shadow at the landing site plunge far below freezing. The lander relies on electric heaters and must keep its panels pointed at a Sun that circles just above the horizon. Engineers say power margins are healthy for the planned two-week mission.',
);
post(
  L,
  'news',
  '22 16:50',
  'Lena Fischer',
  'Scientists explain what finding ice at the landing site would mean',
  'Planetary geologist Dr. Kwame Asante said confirming ice at the site would turn decades of hints from orbit into ground truth. The key questions are how much there is and how it is mixed with soil. That will decide whether future crews can realistically mine it.',
);
post(
  L,
  'space',
  '22 20:25',
  'Yusuf Demir',
  "Moon lander's neutron detector sees an early hint of hydrogen",
  "Preliminary readings from the lander's neutron spectrometer show a dip that scientists associate with hydrogen in the top metre of soil. The team cautioned that it is far too early to call it water, and that the rover's drill will be needed to say more.",
);
post(
  L,
  'space',
  '23 08:05',
  'Meera Iyer',
  'Rover reaches the rim of a permanently dark crater on the Moon',
  'Wren drove 60 metres overnight and now sits at the edge of the dark depression scientists are most eager to study. Its headlights and infrared camera will be used to look inside before the rover attempts a short descent on Tuesday.',
);
post(
  L,
  'wire',
  '23 02:20',
  'Oliver Grant',
  'Polar landing success gives a boost to plans for a crewed Moon base',
  'Officials in several countries cited the Hesper result in budget discussions this week. A crewed outpost near the pole would depend on exactly the ice deposits the rover is now studying. Critics say robotic exploration remains far cheaper per discovery.',
);
post(
  L,
  'news',
  '23 06:40',
  'Lena Fischer',
  'Inside the control room that put a spacecraft on the Moon',
  'A team of about 120 engineers from six countries works in shifts at the Toulouse centre, with a backup room in Bengaluru. Flight director Anouk de Vries says the hardest part now is choosing which of dozens of science requests to prioritise each day.',
);

// ---------------------------------------------------------------------------------------------------
// orbital-debris (15, fading): two dead objects collide in low Earth orbit.
// ---------------------------------------------------------------------------------------------------
const D = 'orbital-debris';
post(
  D,
  'space',
  '17 08:30',
  'Hiroshi Tanaka',
  'Dead satellite and discarded rocket stage collide in low Earth orbit',
  'Tracking radars detected a cloud of new fragments at about 790 kilometres altitude early on Tuesday after a defunct Earth-observation satellite, Tethys-2, struck a spent upper stage. Neither object could be steered. Analysts say the two met at a relative speed of more than ten kilometres per second.',
);
post(
  D,
  'wire',
  '17 12:10',
  'Oliver Grant',
  'Radar firms count hundreds of new pieces of space junk after orbital crash',
  'Commercial tracking company OrbitWatch said it had catalogued 340 fragments larger than ten centimetres within hours of the impact, with thousands of smaller pieces likely. The debris is spreading along the original orbits and will circle Earth for decades at that height.',
  { key: 'debris-count' },
);
post(
  D,
  'forum',
  '17 16:45',
  'kessler_watch',
  'Is this the runaway debris cascade people keep warning about?',
  'Not yet, but it is the kind of event that moves us toward it. Each collision makes more fragments, which raise the odds of the next collision. The 750 to 850 km band was already the most crowded with old junk.',
);
post(
  D,
  'news',
  '17 20:30',
  'Lena Fischer',
  'Astronomers fear more streaks in telescope images after satellite smash',
  'Observatories that already filter out thousands of satellite trails said a fresh debris cloud adds another nuisance for wide-field sky surveys. Most fragments are too faint to see, but sunlit pieces at dusk could spoil long exposures.',
);
post(
  D,
  'space',
  '18 07:20',
  'Hiroshi Tanaka',
  'Satellite operators told to check collision risks after debris event',
  "Space agencies issued alerts to operators of around 1,200 active spacecraft that pass through the affected altitudes. Several Earth-imaging companies said they had already planned avoidance burns. Each manoeuvre uses propellant and shortens a satellite's working life.",
);
post(
  D,
  'europe',
  '18 10:05',
  'Ana Lindgren',
  'Who pays when two pieces of space junk collide?',
  'Neither the owner of the dead satellite nor the launch provider whose rocket stage was involved faces any penalty under current treaties, legal scholars say. The 1972 liability convention was written for a world with a few dozen satellites and has almost never been invoked.',
);
repost('debris-count', '18 12:00', 'utm_source=newsletter&utm_medium=email&utm_campaign=space-weekly');
post(
  D,
  'news',
  '18 13:50',
  'Lena Fischer',
  'Visualising the new debris cloud with an interactive orbit map',
  '<p>Our <a href="https://news.example.org/debris-map">interactive map</a> shows how fragments from Tuesday&#39;s collision have stretched into a ring around the planet in just 36 hours.</p><p>Data: OrbitWatch &amp; public catalogues.</p>',
);
post(
  D,
  'wire',
  '18 17:35',
  'Oliver Grant',
  'Owners say the broken-up weather satellite had been silent since 2019',
  'The consortium that operated Tethys-2 said the satellite lost contact seven years ago after a power failure and could not be lowered to a disposal orbit. Critics say the episode shows why new satellites should be required to carry backup deorbit systems.',
);
post(
  D,
  'markets',
  '18 22:15',
  'Victor Halloran',
  'Insurers reassess premiums for satellites in crowded orbits',
  'Specialist space insurers told clients that coverage for missions between 700 and 900 kilometres is likely to get more expensive following the collision. Few operators insure against debris strikes today because the risk was considered small.',
);
post(
  D,
  'tech',
  '19 09:00',
  'Dana Whitfield',
  'Broadband constellation shifts dozens of satellites to dodge fragments',
  'An internet-satellite operator said it had executed 48 automated avoidance manoeuvres in the past day as fragments crossed its lower shells. The company said its spacecraft fly well below the worst of the debris, but stray pieces in elliptical orbits pass through.',
);
post(
  D,
  'europe',
  '19 14:30',
  'Ana Lindgren',
  'Calls grow for international traffic control in orbit',
  "Diplomats and industry executives at a space sustainability forum in Vienna said this week's collision underlined the need for shared tracking data and binding rules. There is no global authority that can order an object out of the way.",
);
post(
  D,
  'wire',
  '19 19:45',
  'Samuel Achebe',
  'Startup pitches a robotic arm to capture dead satellites',
  'A London-based company that has been testing a docking arm in orbit said enquiries tripled since Tuesday. Removing one large derelict costs tens of millions of dollars, and nobody has yet agreed to pay.',
);
post(
  D,
  'space',
  '20 11:10',
  'Hiroshi Tanaka',
  'Why a collision 800 kilometres up will linger for a century',
  'At that altitude the thin upper atmosphere barely slows objects down, so fragments may stay in orbit for a hundred years or more. Debris lower down burns up within a few years. This is why spacecraft abandoned at high altitudes are the most dangerous.',
);
post(
  D,
  'space',
  '20 16:00',
  'Hiroshi Tanaka',
  "Tracked fragments from this week's orbital crash pass 900",
  'Updated catalogues now list more than 900 fragments, as radars have had more passes to separate closely spaced pieces. Analysts expect the number to keep rising for another week before it stabilises.',
);

// ---------------------------------------------------------------------------------------------------
// coffee-prices (15, steady): bad weather in growing regions pushes arabica to a record.
// ---------------------------------------------------------------------------------------------------
const C = 'coffee-prices';
post(
  C,
  'markets',
  '16 21:00',
  'Victor Halloran',
  'Arabica coffee futures jump to a record after harvest warnings',
  "Benchmark arabica contracts rose 7 percent on Monday to the highest level on record after forecasters cut estimates for next year's Brazilian harvest. A dry spell during flowering, followed by a rare frost in parts of Minas Gerais, damaged young fruit. Traders said funds added to bets on further gains.",
);
post(
  C,
  'blog',
  '16 18:30',
  'Marisol Vega',
  'Your morning latte is about to get more expensive',
  "Roasters warn that this week's surge in green bean prices will reach supermarket shelves within two to three months. A 250-gram bag of specialty beans could cost a dollar or two more by spring. Instant coffee, which relies more on robusta, may rise less.",
);
post(
  C,
  'wire',
  '17 09:40',
  'Gareth Lloyd',
  "Frost damage in Brazil's coffee belt worse than first feared",
  'Agronomists touring farms in southern Minas Gerais reported blackened leaves and dropped flowers across hillside plantations. Farmers said it could take two seasons for the worst-hit trees to recover. The national crop agency will publish a revised estimate next month.',
);
post(
  C,
  'news',
  '17 20:05',
  'Grace Holloway',
  'Independent cafés weigh raising prices as bean costs climb',
  'Owners of small coffee shops say they have absorbed several rounds of cost increases since 2024 and cannot do it again. Some plan to add 20 or 30 cents to a flat white; others are shrinking cup sizes. "Customers notice either way," said café owner Hannah Lindqvist.',
);
post(
  C,
  'es',
  '18 13:15',
  'Valentina Ríos',
  'El precio del café arábica alcanza un máximo histórico',
  'Los contratos de café arábica subieron esta semana a niveles récord tras la sequía y las heladas en las zonas productoras de Brasil. En Colombia, algunos caficultores celebran mejores ingresos, aunque advierten que los costos de fertilizantes y mano de obra también han aumentado. Los tostadores prevén subidas para el consumidor a partir de febrero.',
);
post(
  C,
  'markets',
  '18 15:30',
  'Victor Halloran',
  'Big roasters announce wholesale price increases for the new year',
  'Two of the largest roasting groups told retail customers that wholesale prices will rise between 8 and 12 percent from January, citing record costs for green beans and higher shipping insurance.',
  { summaryOnly: true },
);
post(
  C,
  'wire',
  '19 11:00',
  'Gareth Lloyd',
  'Colombian growers see a windfall, but warn it may not last',
  'High prices make this a rare good year for smallholders in the Huila and Nariño regions. Cooperative manager Rodrigo Salcedo said members are paying off debts rather than planting more, because past booms ended in sudden crashes.',
);
post(
  C,
  'forum',
  '19 19:20',
  'pourover_pat',
  'Time to stock up on beans before the price hikes land?',
  'Thinking of buying a few kilos of my usual roast now. Whole beans keep fine in the freezer if vacuum-sealed, but I am not sure it is worth the hassle for a couple of dollars. Anyone done this during the last price spike?',
);
post(
  C,
  'markets',
  '20 15:50',
  'Victor Halloran',
  'Coffee rally spills into robusta as buyers look for cheaper blends',
  'Robusta futures also climbed this week as roasters increased the share of the cheaper, more bitter bean in their blends. Vietnam, the largest robusta producer, expects a normal harvest, which may cap gains.',
);
post(
  C,
  'news',
  '20 17:35',
  'Grace Holloway',
  'Chart of the week: a decade of arabica prices in one picture',
  '<p>Arabica has more than tripled since 2020. Our chart marks the spikes after the 2021 frost, the 2024 drought &amp; this week&#39;s record.</p><p><a href="https://news.example.org/charts/coffee-decade">See the interactive version</a>.</p>',
);
post(
  C,
  'europe',
  '21 10:30',
  'Ana Lindgren',
  'Climate scientists link wild weather in the coffee belt to warming',
  'Researchers who study crop climates say frosts and droughts in coffee regions are becoming less predictable as global temperatures rise. Arabica plants are fussy about temperature, and suitable land at lower altitudes is shrinking. Breeding more resilient varieties takes decades.',
);
post(
  C,
  'wire',
  '22 09:15',
  'Gareth Lloyd',
  'Supermarkets push back as coffee suppliers try to raise prices',
  "Grocery buyers are resisting roasters' price rises, according to people familiar with the talks, raising the prospect of brands being temporarily delisted. Shoppers may see more own-label coffee on shelves in the coming months.",
);
post(
  C,
  'markets',
  '22 18:40',
  'Victor Halloran',
  "Rain forecast for Brazil's coffee districts could cool the record rally",
  'Meteorologists expect the first substantial rains in two months to reach the main growing districts late next week. If they arrive, traders say some of the risk premium in prices may unwind, although frost-damaged trees will not recover this season.',
);
post(
  C,
  'markets',
  '23 08:50',
  'Victor Halloran',
  'Coffee futures open the week lower after their record run',
  'Arabica prices slipped 3 percent in early electronic trading on Monday as rain forecasts improved. Prices remain close to record levels, and analysts expect the announced retail increases to go ahead regardless.',
);
post(
  C,
  'home',
  '21 15:00',
  'Felix Brandt',
  'Five ways to make your coffee budget stretch further',
  'Brewing at home instead of buying takeaway saves the most, obviously. Buying whole beans and grinding them fresh lets you use a little less per cup without losing flavour. A cheaper blend with some robusta tastes fine in milk drinks, which matters as bean prices hit new highs.',
  { noDate: true },
);

// ---------------------------------------------------------------------------------------------------
// browser-zero-day (12, fading): an exploited flaw in a web browser, patched on Monday.
// ---------------------------------------------------------------------------------------------------
const B = 'browser-zero-day';
post(
  B,
  'security',
  '16 06:30',
  'Nadia Petrova',
  'Emergency update fixes actively exploited flaw in the Vantage browser',
  "Orrery Software shipped an out-of-band security update on Monday for a memory-corruption bug in the Vantage browser's JavaScript engine. The company said it is aware of reports that an exploit for CVE-2026-48213 exists in the wild. Users should restart the browser to apply version 131.0.4.",
);
post(
  B,
  'wire',
  '16 11:20',
  'Samuel Achebe',
  'Browser zero-day used to target journalists, researchers say',
  'Investigators at the digital-rights lab Citadel Watch said they found the exploit on the devices of two reporters who had visited a booby-trapped news site. Opening the page was enough to run malicious code; no click was needed. The lab attributes the campaign to a commercial spyware vendor.',
);
post(
  B,
  'security',
  '16 15:05',
  'Nadia Petrova',
  'How to check that your browser is patched against CVE-2026-48213',
  '<p>Open <em>Settings &gt; About</em> and confirm the version is 131.0.4 or later.</p><p>Managed devices: admins can force the update through policy &amp; restart reminders. Details are in the <a href="https://security.example.net/advisories/2026-48213">advisory</a>.</p>',
);
post(
  B,
  'forum',
  '16 21:40',
  'sysadmin_sana',
  'PSA: restart your browser, the auto-update does not apply until you do',
  'Half my team had the fixed version downloaded but were still running the vulnerable one because they never close their browser. Just restart it. Yes, the tabs come back.',
);
post(
  B,
  'news',
  '17 08:10',
  'Thabo Nkosi',
  'Cyber agency orders government staff to update browsers within 48 hours',
  'The national cybersecurity agency added the bug to its catalogue of known exploited vulnerabilities and told government departments to patch by Wednesday. Other browsers built on the same open-source engine are also affected and released fixes on Tuesday.',
);
post(
  B,
  'security',
  '17 13:35',
  'Jakub Novak',
  'Inside the exploit: a type confusion bug in the JIT compiler',
  'A technical analysis published by researchers shows the attack abused how the optimising compiler guessed the type of an array, letting attackers read and write memory outside it. A second bug was then used to escape the sandbox. Chains like this sell for millions on the exploit market.',
);
post(
  B,
  'tech',
  '17 19:00',
  'Ravi Menon',
  'Browsers built on the Lumen engine rush out their own security fixes',
  'Several smaller browsers that share the same rendering and scripting engine published updates within a day of the upstream fix. Privacy-focused forks were among the slowest, prompting users to ask whether small teams can keep up with critical patches.',
);
post(
  B,
  'wire',
  '18 09:25',
  'Samuel Achebe',
  'Spyware maker linked to the browser attack denies wrongdoing',
  'A company named by researchers as the likely source of the exploit said it sells only to government customers for lawful investigations. Press-freedom groups called for sanctions and asked for the names of its clients.',
);
post(
  B,
  'security',
  '18 16:15',
  'Jakub Novak',
  'Bug bounty payouts questioned after browser flaw was sold privately',
  "Security researchers pointed out that the vendor's maximum reward for such a bug is far below what exploit brokers pay. Raising bounties would not stop everyone from selling, they argue, but it would tip more finders toward disclosure.",
);
post(
  B,
  'security',
  '19 10:40',
  'Nadia Petrova',
  'Second Vantage patch in a week addresses a related memory bug',
  "Orrery released another update on Thursday fixing a similar flaw found while reviewing the first. There is no evidence the new bug was exploited. The company said it is auditing the rest of the compiler's optimisation passes.",
);
post(
  B,
  'security',
  '19 20:30',
  'Jakub Novak',
  'Browser maker publishes a timeline of how it handled the exploited flaw',
  'Orrery said it received the report on a Friday evening, shipped a fix within 60 hours and has since added fuzzing for the code path that failed. Critics note that the vulnerable code had shipped for 18 months.',
);
post(
  B,
  'tech',
  '20 14:00',
  'Ravi Menon',
  "What this week's browser zero-day teaches about patch habits",
  'Automatic updates only protect people who restart. Enterprise IT teams should set deadlines for relaunches, and individuals should treat a browser update prompt as seriously as a phone update.',
  { summaryOnly: true },
);

// ---------------------------------------------------------------------------------------------------
// museum-heist (10, growing): a gold reliquary is stolen from a regional museum on Saturday.
// ---------------------------------------------------------------------------------------------------
const H = 'museum-heist';
post(
  H,
  'norwick',
  '21 09:30',
  'Rosalind Pryce',
  'Thieves take a priceless gold reliquary from the Hallam Museum overnight',
  'Staff arriving at the Hallam Museum of Decorative Arts in Norwick on Saturday found a display case smashed and a seventeenth-century gold reliquary missing, along with eleven enamelled snuffboxes. Police said the intruders entered through a skylight and were inside for less than ten minutes. The museum is closed while forensic teams work.',
);
post(
  H,
  'norwick',
  '21 14:15',
  'Rosalind Pryce',
  'Police appeal for witnesses after break-in at decorative arts museum',
  'Detectives investigating the overnight burglary asked anyone who was near the river promenade between 2 and 4 a.m. to come forward. CCTV shows two people in dark clothing and a van without plates. Detective Inspector Sunita Mehra said the items are "instantly recognisable and impossible to sell openly".',
);
post(
  H,
  'forum',
  '21 20:40',
  'provenance_pete',
  'How do thieves even sell something that famous?',
  'Genuinely curious. Every auction house in the world will know what it looks like by Monday. Is it ransom, a private collector, or just melting it down for the gold? The last one would be heartbreaking.',
);
post(
  H,
  'fr',
  '22 08:00',
  'Camille Roussel',
  'Vol spectaculaire au musée Hallam : un reliquaire en or dérobé',
  "Des cambrioleurs se sont introduits dans la nuit de vendredi à samedi au musée des arts décoratifs de Norwick et ont emporté un reliquaire en or du XVIIe siècle ainsi que onze tabatières émaillées. La police lance un appel à témoins. Les experts craignent que l'or ne soit fondu.",
);
post(
  H,
  'news',
  '22 11:45',
  'Isabel Moreno',
  'Security at small museums under scrutiny after weekend theft',
  "The Hallam's alarm on the skylight had been reported faulty in September, according to a former employee. Museum directors say budgets for guards and sensors have been cut repeatedly. An insurer said many regional collections are underinsured because premiums have soared.",
);
post(
  H,
  'wire',
  '22 16:20',
  'Gareth Lloyd',
  'Art-loss registry lists the stolen reliquary and snuffboxes',
  'The international database used by dealers and auction houses has added photographs and descriptions of the twelve missing objects. Any attempt to sell them through legitimate channels should now trigger an alert, the registry said.',
);
post(
  H,
  'europe',
  '22 21:05',
  'Ana Lindgren',
  "From a Baroque workshop to a Norwick gallery: the reliquary's story",
  'The gold-and-crystal reliquary was made in Augsburg around 1660 and passed through three aristocratic collections before a local industrialist bequeathed it to the museum in 1911. Curators consider it the centrepiece of the collection.',
);
post(
  H,
  'norwick',
  '23 07:10',
  'Rosalind Pryce',
  'Two arrested in connection with the museum burglary',
  'Police said on Monday they had arrested two men aged 34 and 41 after searching properties in the east of the city. None of the stolen objects has yet been recovered. Detectives are examining whether the theft was commissioned.',
);
post(
  H,
  'news',
  '23 08:20',
  'Isabel Moreno',
  'Museum theft in Norwick: what we know so far',
  '<p>Key facts about the Hallam break-in:</p><ul><li>Entry via a roof skylight at about 2:40 a.m. on Saturday</li><li>Gold reliquary &amp; 11 snuffboxes taken</li><li>Two arrests, nothing recovered yet</li></ul>',
);
post(
  H,
  'norwick',
  '22 22:40',
  'Rosalind Pryce',
  'Hallam Museum to reopen with an empty plinth as a reminder of the theft',
  "The museum will reopen on Monday afternoon, leaving the smashed display case in place behind a rope. Director Eleanor Vance said the community's support had been overwhelming and that a £50,000 reward is on offer for information leading to recovery.",
);

// ---------------------------------------------------------------------------------------------------
// heat-pump-rebate (10, steady): the government doubles grants for replacing gas boilers.
// ---------------------------------------------------------------------------------------------------
const P = 'heat-pump-rebate';
post(
  P,
  'europe',
  '17 09:00',
  'Ana Lindgren',
  'Government doubles grants for households replacing gas boilers with heat pumps',
  'Homeowners who swap a fossil-fuel boiler for an electric heat pump will receive up to €12,000 from January, double the current amount, the energy ministry announced on Tuesday. Low-income households can claim an extra bonus. The scheme is funded for three years.',
);
post(
  P,
  'news',
  '17 16:30',
  'Grace Holloway',
  'Installers warn of long waiting lists after heating subsidy boost',
  'Heating engineers say they are already booked three to four months ahead and expect the new grants to lengthen queues further. Trade associations asked for funding to train more installers, noting that fitting an air-source unit takes skills many plumbers lack.',
);
post(
  P,
  'de',
  '18 10:20',
  'Jens Hartmann',
  'Mehr Geld für Wärmepumpen: Zuschuss wird verdoppelt',
  'Wer seine alte Gasheizung durch eine Wärmepumpe ersetzt, soll ab Januar bis zu 12.000 Euro Förderung erhalten. Handwerksbetriebe rechnen mit deutlich mehr Anfragen und warnen vor langen Wartezeiten. Verbraucherschützer raten, Angebote sorgfältig zu vergleichen.',
);
post(
  P,
  'home',
  '19 08:45',
  'Felix Brandt',
  'Is a heat pump worth it now? We ran the numbers',
  'For a typical three-bedroom house, the new grant cuts the upfront cost of an air-to-water system to about the price of a new gas boiler. Running costs depend heavily on electricity tariffs and insulation. In a draughty, poorly insulated home the savings may be small.',
);
post(
  P,
  'forum',
  '20 12:30',
  'draughty_cottage',
  'Got our heat pump quote and the new grant makes it a no-brainer',
  'Quote came in at €16,500 installed, so after the grant we pay about the same as replacing our ancient boiler. The installer cannot come until March though. Anyone had one fitted in an old stone house?',
);
post(
  P,
  'home',
  '20 15:10',
  'Felix Brandt',
  'Heat pump myths: noise, cold snaps and old radiators',
  'Modern outdoor units are about as loud as a fridge at a few metres. They keep working well below freezing, though efficiency drops. Many homes can keep their existing radiators if the flow temperature is set correctly, although a few rooms may need larger ones.',
  { noDate: true },
);
post(
  P,
  'wire',
  '21 10:10',
  'Gareth Lloyd',
  'Gas network operators lobby against a faster boiler phase-out',
  'Associations representing gas network operators argued that the bigger subsidy will leave remaining customers paying more for an ageing grid. They want hydrogen-ready boilers included in the scheme, which climate groups oppose as a costly distraction.',
);
post(
  P,
  'home',
  '22 14:50',
  'Felix Brandt',
  'Heat pump grants: how to apply, step by step',
  '<p>Applications open on 4 January through the energy agency&#39;s portal.</p><ol><li>Get an energy assessment</li><li>Obtain a quote from a certified installer</li><li>Apply <strong>before</strong> signing the contract</li></ol><p>More on the <a href="https://home.example.net/heat-pump-grant-faq">FAQ page</a> &amp; the agency site.</p>',
);
post(
  P,
  'news',
  '23 07:30',
  'Grace Holloway',
  'Manufacturers add shifts as orders for heat pumps climb',
  'Two factories making outdoor heat pump units said they will run weekend shifts from December to meet the demand expected from the enlarged grant. Supply of refrigerant components is the main bottleneck.',
);
post(
  P,
  'europe',
  '23 08:10',
  'Ana Lindgren',
  'Renters left out of the boiler replacement subsidy, tenant groups say',
  "The grants go to property owners, and tenants' associations say landlords have little reason to invest when tenants pay the heating bills. They urged the ministry to set minimum efficiency standards for rented homes.",
);

// ---------------------------------------------------------------------------------------------------
// marathon-record (8, fading): a women's world record at Sunday's race, covered Monday to Wednesday.
// ---------------------------------------------------------------------------------------------------
const R = 'marathon-record';
post(
  R,
  'sport',
  '16 06:00',
  'Declan Murphy',
  "Selam Tadesse smashes the women's marathon world record in Port Elsworth",
  'Ethiopia\'s Selam Tadesse crossed the finish line in 2 hours, 8 minutes and 47 seconds on Sunday, taking more than a minute off the previous world best. She ran the second half faster than the first on a cool, windless morning. "I felt I could fly after 30 kilometres," she said.',
);
post(
  R,
  'sport',
  '16 09:30',
  'Declan Murphy',
  'Analysis: how a negative split rewrote the record books',
  'Tadesse went through halfway in 64:40 and covered the second half in 64:07, an unusual feat at world-record pace. Coaches credit a patient start behind the pacemakers and a flat course along the harbour.',
);
post(
  R,
  'news',
  '16 13:10',
  'Isabel Moreno',
  'Shoes, pacers and a perfect morning: the ingredients of a record run',
  'The prototype shoes Tadesse wore comply with current rules on sole thickness, her sponsor said. Rival coaches noted the race used a rotating team of male pacemakers, which is permitted in mixed races. The mark is expected to be ratified.',
);
post(
  R,
  'forum',
  '16 17:45',
  'negative_splitz',
  'Watching the final 5K of that race gave me chills',
  'She was alone from 35 km and still speeding up. The commentators ran out of words. I have followed distance running for 20 years and cannot remember a performance like it.',
);
post(
  R,
  'wire',
  '16 20:20',
  'Gareth Lloyd',
  'Port Elsworth celebrates as its city race joins the elite',
  "Organisers said the record will draw stronger fields and bigger sponsors to an event that only gained top-tier status two years ago. Hotels reported bookings for next year's race within hours.",
);
post(
  R,
  'sport',
  '17 10:00',
  'Declan Murphy',
  "Coach reveals the altitude training plan behind Sunday's record",
  'Coach Mekonnen Alemu said his athlete spent four months at 2,400 metres, running about 200 kilometres a week with two long sessions at race pace. He said she might target the 10,000 metres on the track next summer.',
);
post(
  R,
  'news',
  '17 19:30',
  'Isabel Moreno',
  'Amateur runners flock to sign up after the historic race',
  "The event's registration site crashed on Monday night as thousands tried to enter next year's edition. Running clubs in the region said interest in beginner groups has doubled.",
);
post(
  R,
  'sport',
  '18 12:00',
  'Declan Murphy',
  'Doping tests clear the new world record holder',
  "The governing body said samples taken after Sunday's race were negative, clearing the way for ratification. Tadesse will receive a $100,000 bonus from the organisers.",
);

// ---------------------------------------------------------------------------------------------------
// noise (10): one-off posts that belong to no topic.
// ---------------------------------------------------------------------------------------------------
const N = 'noise';
post(
  N,
  'home',
  '16 14:00',
  'Felix Brandt',
  'Keeping a sourdough starter alive in a cold winter kitchen',
  'When the kitchen drops below 18 degrees, starters slow down and can taste sharply sour. Move the jar near the oven light or feed it with slightly warmer water. A spoon of rye flour also perks up a sluggish culture.',
);
post(
  N,
  'norwick',
  '17 11:30',
  'Rosalind Pryce',
  'Council approves a new playground and skate park for Elm Street',
  'After two years of consultation, councillors voted unanimously to turn the disused car park on Elm Street into a playground and a small skate park. Construction starts in spring. Residents asked for lighting and benches for parents.',
);
post(
  N,
  'blog',
  '18 19:00',
  'Marisol Vega',
  'Review: "The Salt Archivist" is a slow, beautiful novel about memory',
  "Ines Carvalho's third novel follows a librarian cataloguing letters in a coastal town that is slowly flooding. Not much happens, and that is the point: the prose is patient and precise. Readers who like quiet books will treasure it.",
);
post(
  N,
  'forum',
  '19 07:40',
  'tannery_lane',
  'Found: friendly grey tabby near the old tannery',
  'She has been hanging around our back door for three days, well fed, no collar. Very chatty and keen to come inside. The vet says she has no microchip. Post here if she is yours.',
);
post(
  N,
  'home',
  '19 16:20',
  'Felix Brandt',
  'Preparing balcony plants for the first frost of the year',
  'Group pots against the wall, where it is warmer, and wrap them in fleece or bubble wrap. Move tender herbs like basil indoors. Rosemary and thyme usually cope if the soil is not waterlogged.',
);
post(
  N,
  'norwick',
  '20 20:00',
  'Rosalind Pryce',
  'Family bakery closes its doors after 42 years on the high street',
  "The Moreau family served their last loaves on Friday, citing retirement and no one to take over. Regulars queued around the block for a final croissant. The building's owner has not said what will replace it.",
);
post(
  N,
  'blog',
  '21 12:45',
  'Ellis Navarro',
  'Hobbyists release a brand-new game for a handheld console from 1989',
  'A group of homebrew developers has released a puzzle platformer for the decades-old handheld, sold on real cartridges and free to download for emulators. It took them three years to squeeze the levels into 256 kilobytes.',
);
post(
  N,
  'home',
  '22 10:30',
  'Felix Brandt',
  "A beginner's guide to photographing rock pools at low tide",
  'Go at low tide on an overcast day to avoid glare. A polarising filter cuts reflections on the water so you can see anemones and crabs below. Watch the tide times closely and never turn your back to the sea.',
);
post(
  N,
  'norwick',
  '22 19:15',
  'Rosalind Pryce',
  'Riverside Chess Club wins the regional team championship',
  'The club beat the defending champions 3.5 to 2.5 in the final round on Sunday. Fourteen-year-old Mira Hoffmann won the deciding game with a daring rook sacrifice.',
);
post(
  N,
  'home',
  '23 05:20',
  'Felix Brandt',
  'How to descale a kettle with vinegar or citric acid',
  'Fill the kettle halfway with equal parts water and white vinegar, boil it, and leave it for an hour. Citric acid works just as well without the smell. Rinse and boil fresh water twice before making tea.',
);

// ---------------------------------------------------------------------------------------------------

/** 'DD HH:MM' (UTC, November 2026) -> epoch milliseconds. */
function instant(when) {
  const match = /^(\d\d) (\d\d):(\d\d)$/.exec(when);
  if (!match) throw new Error(`bad time ${when}`);
  const [, day, hour, minute] = match.map(Number);
  if (day < 16 || day > 23) throw new Error(`${when} is outside 2026-11-16..23`);
  return Date.UTC(2026, 10, day, hour, minute);
}

/** ISO 8601 in the site's local time with its offset ('Z' for UTC). */
function localIso(ms, offsetMinutes) {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function slugify(title) {
  return title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** At most 70 characters, cut at a word boundary. */
function shortSlug(title) {
  const slug = slugify(title);
  return slug.length <= 70 ? slug : slug.slice(0, 71).replace(/-[^-]*$/, '');
}

// The file reads in the order the posts appeared (a re-post when it was shared again); ties keep the
// order of declaration.
const ordered = [...posts].sort((a, b) => instant(a.when) - instant(b.when) || a.order - b.order);
const byKey = new Map();
const urls = new Set();
let forumThread = 4810;
const lines = ordered.map((p, i) => {
  const externalId = `sample-${String(i + 1).padStart(4, '0')}`;
  if (p.kind === 'repost') {
    const original = byKey.get(p.key);
    if (!original) throw new Error(`re-post of ${p.key} before the original`);
    const url = `${original.url}?${p.query}`;
    return {
      ...original,
      externalId,
      url,
      metadata: { ...original.metadata, sampleRepostOf: original.externalId },
    };
  }
  const words = p.title.split(/\s+/).length;
  if (words < 5 || words > 15) throw new Error(`title has ${words} words: ${p.title}`);
  const site = SITES[p.site];
  if (!site) throw new Error(`unknown site ${p.site}`);
  const url = site.url(shortSlug(p.title), forumThread++);
  if (urls.has(url)) throw new Error(`duplicate URL ${url}`);
  urls.add(url);
  const item = {
    externalId,
    title: p.title,
    url,
    ...(p.summaryOnly ? { summary: p.text } : { content: p.text }),
    author: p.author,
    ...(p.noDate ? {} : { publishedAt: localIso(instant(p.when), site.offset) }),
    ...(site.lang ? { language: site.lang } : {}),
    metadata: { sampleTopic: p.topic },
  };
  if (p.key) byKey.set(p.key, item);
  return item;
});

writeFileSync(OUT, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
console.log(`wrote ${lines.length} posts to ${OUT}`);
