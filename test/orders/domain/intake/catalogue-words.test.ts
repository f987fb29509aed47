import { loadCatalogue } from '../../../../src/directory';
import { classifyCategory } from '../../../../src/orders/domain/intake/classify';
import { TERMS, withCatalogueWords } from '../../../../src/orders/domain/intake/lexicon';

// The catalogue's `words` feed the classifier: editing them changes what residents are understood to ask for.
test('a word only the catalogue knows is understood once it is in the catalogue', () => {
  const sentence = '想请人帮忙弄一下晾衣杆';
  expect(classifyCategory(sentence, TERMS).category).not.toBe('home_repair');
  const catalogue = loadCatalogue().map((c) => (c.code === 'home_repair' ? { ...c, words: [...c.words, '晾衣杆'] } : c));
  expect(classifyCategory(sentence, withCatalogueWords(catalogue)).category).toBe('home_repair');
});

test('the shipped catalogue words are all understood as their category', () => {
  const terms = withCatalogueWords(loadCatalogue());
  for (const entry of loadCatalogue()) {
    if (entry.code === 'emergency') continue;
    for (const word of entry.words) expect([word, classifyCategory(word, terms).category]).toEqual([word, entry.code]);
  }
});
