import { expect } from 'chai';
import fc from 'fast-check';
import { cleanTitle, collapseWhitespace, htmlToText, truncateOnWord } from './clean-text.js';

describe('htmlToText', () => {
  it('keeps what links say and drops where they point', () => {
    const text = htmlToText('<p>Read <a href="https://example.com/x?utm_source=a">the report</a> now.</p>');
    expect(text).to.equal('Read the report now.');
  });

  it('drops scripts, styles, images, embeds and forms with their content', () => {
    const text = htmlToText(
      '<script>alert(1)</script><style>p{}</style><p>Body</p><img src="a.png" alt="alt text">' +
        '<iframe src="x">frame</iframe><noscript>enable js</noscript><form><button>Subscribe</button></form>',
    );
    expect(text).to.equal('Body');
  });

  it('decodes entities and turns non-breaking and other Unicode spaces into plain ones', () => {
    expect(htmlToText('<p>Fish&nbsp;&amp;&nbsp;chips &mdash; &ldquo;good&rdquo;&#8230;</p>')).to.equal(
      'Fish & chips — “good”…',
    );
  });

  it('puts each block on its own line and collapses runs of whitespace', () => {
    const text = htmlToText(
      '<h1>Title</h1>\n\n<p>One   two\tthree</p><ul><li>a</li><li>b</li></ul><table><tr><td>x</td><td>y</td></tr></table>',
    );
    expect(text).to.equal('Title\nOne two three\na\nb\nx\ny');
  });

  it('keeps headings in their own case', () => {
    expect(htmlToText('<h2>Mixed Case</h2>')).to.equal('Mixed Case');
  });

  it('reads plain text as text', () => {
    expect(htmlToText('plain text\n\nwith  spaces')).to.equal('plain text with spaces');
  });

  it('truncates long bodies on a word boundary', () => {
    const text = htmlToText(`<p>${'word '.repeat(100)}</p>`, 52);
    expect(text.length).to.be.at.most(52);
    expect(text).to.match(/^(word )+word…$/);
  });

  it('defuses tags that only appear once entities are decoded (regression: &lt;script&gt; in a body)', () => {
    const text = htmlToText('<p>&lt;script&gt;alert(1)&lt;/script&gt; and 1 &lt; 2</p>');
    expect(text).not.to.match(/<script/i);
    expect(text).to.contain('alert(1)').and.contain('1 < 2');
  });

  it('gives an empty string for empty or non-string input', () => {
    expect(htmlToText('')).to.equal('');
    expect(htmlToText(undefined as unknown as string)).to.equal('');
  });

  const htmlish = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          '<script>',
          '</script>',
          '<SCRIPT src=x>',
          '<style>',
          '</style>',
          '<p>',
          '</p>',
          '<a href="',
          '">',
          '</a>',
        ),
        fc.constantFrom(
          '&lt;script&gt;',
          '&amp;',
          '&#60;script',
          '&#x3C;SCRIPT',
          '<!--',
          '-->',
          '<![CDATA[',
          ']]>',
          '<img src=x onerror=1>',
        ),
        fc.string({ unit: 'grapheme', maxLength: 12 }),
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join(''));

  it('never throws and never outputs a script tag, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(htmlish, fc.string({ unit: 'binary' })), (html) => {
        const text = htmlToText(html);
        expect(text).to.be.a('string');
        expect(text).not.to.match(/<script/i);
      }),
      { numRuns: 500 },
    );
  });
});

describe('cleanTitle', () => {
  it('gives one trimmed line with entities decoded and markup removed', () => {
    expect(cleanTitle('  Fed holds &amp; <em>waits</em>\n on cuts  ')).to.equal('Fed holds & waits on cuts');
  });

  it('truncates long titles on a word boundary', () => {
    const title = cleanTitle('lorem ipsum '.repeat(50), 40);
    expect(title.length).to.be.at.most(40);
    expect(title.endsWith('…')).to.equal(true);
    expect(title).not.to.match(/\s…$/);
  });
});

describe('truncateOnWord', () => {
  it('leaves short text alone', () => {
    expect(truncateOnWord('short', 10)).to.equal('short');
  });

  it('cuts a single overlong word rather than losing most of the text', () => {
    expect(truncateOnWord('a'.repeat(30), 10)).to.equal(`${'a'.repeat(9)}…`);
  });

  it('never splits a surrogate pair', () => {
    const text = truncateOnWord(`${'x'.repeat(8)}😀😀😀`, 10);
    expect(text.length).to.be.at.most(10);
    expect(text).to.equal(`${'x'.repeat(8)}…`);
  });
});

describe('collapseWhitespace', () => {
  it('removes zero-width characters and trims lines', () => {
    expect(collapseWhitespace(' a\u200b b \n\n\u00a0c\u2003d ')).to.equal('a b\nc d');
  });
});
