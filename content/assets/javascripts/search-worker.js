/* Chinese search for the call guide: a drop-in replacement for Material's search worker.

   Material's own worker (lunr + jieba tokens) cannot find a string that cuts across jieba's
   segmentation (远海 in 深远/海) and drops the last character of a Chinese query. This worker
   indexes the same search_index.json with MiniSearch (vendor/, MIT) and the standard CJK analysis:
   Chinese text as overlapping character bigrams (plus single characters), other text as words.
   A query matches a section only if the section holds every bigram of every term of the query.
   When no section has them all, the search forgives: sections that hold more than half of the
   query's bigrams and words, or one whole term of it, are shown, those holding most first, with the
   missing terms marked, and the result says it is partial (RESULT data.partial: the page writes
   未找到完全匹配，以下为部分匹配). A space between a number and its unit is ignored, in the text and
   in the query (500万元 = 500 万元, 5MW = 5 MW). Titles are boosted, so a topic whose title holds
   the query comes first. Measured against the alternatives in docs/search.md.

   The whole index is fetched on the first query (see below). It speaks Material's worker protocol (SETUP 0 → READY 1, QUERY 2 → RESULT 3) and returns what
   Material's result list renders: groups of {location, title, text, score, terms}, one group per
   page with the page itself first. The theme override (templates/site/theme/main.html) points
   Material at this file. */
/* global MiniSearch */
importScripts("vendor/minisearch-7.2.0.js");

var SETUP = 0;
var READY = 1;
var QUERY = 2;
var RESULT = 3;

var TOKEN = /\p{Script=Han}+|[\p{L}\p{N}]+/gu;
var NUMBER_SPACE_UNIT = /(\p{N})\s+(?=\p{L})/gu; // 500 万元 → 500万元, 5 MW → 5MW
var NUMBER_END = /\p{N}$/u;
var NUMBER_LETTERS = /^(\p{N}+)(\p{L}+)$/u;
var HAN = /^\p{Script=Han}/u;
var ZWSP = /\u200b/g; // jieba's word boundaries in Material's index: not part of the text

var index = null;
var docs = [];

function plainText(html) {
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&amp;/g, "&");
}

/* Text and queries alike: a number written apart from its unit is joined to it. */
function normalise(text) {
  return text.toLowerCase().replace(NUMBER_SPACE_UNIT, "$1");
}

/* Chinese runs → bigrams (and, when indexing, every single character); other runs → words. A number
   followed by Chinese also gives the number with its first one and two characters (500万, 500万元),
   so that 500万元 finds 500 万元 and not 500 beside some other 万元, nor 6000万吨 for 6000万元. A
   number with a Latin unit (5mw) is one word, and when indexing also its parts (5, mw). */
function analyse(text, forQuery) {
  var out = [];
  var source = normalise(text);
  var previous = null;
  var match;
  TOKEN.lastIndex = 0;
  while ((match = TOKEN.exec(source)) !== null) {
    var run = match[0];
    var han = HAN.test(run);
    if (han && previous && previous.end === match.index && NUMBER_END.test(previous.run)) {
      var number = previous.run.match(/\p{N}+$/u)[0];
      var unit = Array.from(run).slice(0, 2);
      out.push(number + unit[0]); // 500万
      if (unit.length > 1) out.push(number + unit.join("")); // 500万元: not 6000万吨
    }
    previous = { run: run, end: match.index + run.length };
    if (!han) {
      out.push(run);
      var parts = run.match(NUMBER_LETTERS);
      if (parts && !forQuery) out.push(parts[1], parts[2]);
      continue;
    }
    var chars = Array.from(run);
    if (chars.length === 1 || !forQuery) out.push.apply(out, chars);
    for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  }
  return out;
}

function setup(data) {
  docs = data.docs.map(function (doc, id) {
    var title = (doc.title || "").replace(ZWSP, "");
    var text = (doc.text || "").replace(ZWSP, "");
    var plain = plainText(title + " " + text);
    return { id: id, location: doc.location, title: title, text: text, normal: normalise(plain) };
  });
  index = new MiniSearch({
    fields: ["title", "text"],
    extractField: function (doc, field) {
      return field === "id" ? doc.id : plainText(doc[field]);
    },
    tokenize: function (text) {
      return analyse(text, false);
    },
    searchOptions: {
      tokenize: function (text) {
        return analyse(text, true);
      },
      boost: { title: 20 },
      prefix: function (term) {
        return /^\p{L}/u.test(term) && !HAN.test(term); // Latin words by prefix; Chinese and numbers exactly
      },
    },
  });
  index.addAll(docs);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/* The runs of the query (Chinese runs and words), to highlight. */
function queryRuns(query) {
  var seen = {};
  return (normalise(query).match(TOKEN) || []).filter(function (t) {
    return seen[t] ? false : (seen[t] = true);
  });
}

/* The terms as the reader typed them, between spaces: to mark the missing ones and for partial hits. */
function queryTerms(query) {
  var seen = {};
  return normalise(query)
    .split(/\s+/)
    .filter(function (t) {
      return t && !seen[t] && (seen[t] = true);
    });
}

/* Whether ``normal`` (a section's text, normalised) holds the term as typed. */
function holds(normal, term) {
  return normal.indexOf(term) !== -1;
}

function highlight(html, pattern) {
  if (!pattern) return html;
  return html
    .split(/(<[^>]*>|&[#\w]+;)/)
    .map(function (part) {
      return /^[<&]/.test(part) ? part : part.replace(pattern, "<mark>$&</mark>");
    })
    .join("");
}

/* A run to highlight, also where the text has a space between a number and its unit. */
function runPattern(run) {
  return escapeRegExp(run).replace(/(\p{N})(?=\p{L})/gu, "$1\\s*");
}

/* The sections holding more than half of the query's bigrams and words, or (for a query of several
   terms) one whole term; those holding most first. Numbers are not forgiven: a partial hit holds every
   number of the query with its unit (5000万元 does not find 5000 吨 beside 万元). */
function partialHits(query, terms) {
  var units = [];
  analyse(query, true).forEach(function (u) {
    if (units.indexOf(u) === -1) units.push(u);
  });
  var numbers = units.filter(function (u) {
    return /^\p{N}/u.test(u);
  });
  var words = units.filter(function (u) {
    return numbers.indexOf(u) === -1;
  });
  return index
    .search({ combineWith: "OR", queries: units })
    .map(function (hit) {
      var has = function (u) {
        return hit.queryTerms.indexOf(u) !== -1;
      };
      var held = words.filter(has).length;
      var whole = terms.length > 1 && terms.some(function (t) {
        return holds(docs[hit.id].normal, t);
      });
      var keep = numbers.every(has) && (held * 2 > words.length || whole);
      return { hit: hit, held: held, keep: keep };
    })
    .filter(function (found) {
      return found.keep;
    })
    .sort(function (a, b) {
      return b.held - a.held || b.hit.score - a.hit.score;
    })
    .map(function (found) {
      return found.hit;
    });
}

function search(query) {
  var terms = queryTerms(query);
  if (!index || !terms.length) return { items: [] };
  // every bigram and word of the query
  var hits = index.search(normalise(query), { combineWith: "AND" });
  var partial = false;
  if (!hits.length) {
    hits = partialHits(query, terms);
    partial = hits.length > 0;
  }

  var runs = queryRuns(query);
  var pattern = runs.length ? new RegExp(runs.map(runPattern).join("|"), "giu") : null;
  var groups = new Map();
  hits.forEach(function (hit) {
    var doc = docs[hit.id];
    var page = doc.location.split("#")[0];
    var present = {};
    terms.forEach(function (t) {
      present[t] = holds(doc.normal, t);
    });
    var item = {
      location: doc.location,
      title: highlight(doc.title, pattern),
      text: highlight(doc.text, pattern),
      score: hit.score,
      terms: present,
    };
    if (!groups.has(page)) groups.set(page, []);
    groups.get(page).push(item);
  });

  var items = [];
  groups.forEach(function (group, page) {
    if (!group.some(function (item) { return item.location === page; })) {
      var article = docs.find(function (doc) { return doc.location === page; });
      if (article) group.push({ location: page, title: article.title, text: article.text, score: 0, terms: {} });
    }
    items.push(group);
  });
  if (!partial) {
    items.sort(function (a, b) {
      return b[0].score - a[0].score; // hits come best first, so each group's first item is its best
    });
  } // partial hits come ordered by how much of the query they hold
  return { items: items, partial: partial };
}

/* Material fetches search/search_index.json on every page; the build leaves a stub there (no docs) and
   moves the whole index beside it (callguide/site.py, defer_search_index), fetched on the first query:
   a page that is read, not searched, loads no index. A full index given at setup (an older site)
   is used as it is. */
var loading = null;

var FULL_INDEX = "../../search/search_data.json"; // callguide/site.py SEARCH_DATA, from this file

function ready() {
  if (!loading) {
    var url = new URL(FULL_INDEX, self.location.href);
    loading = fetch(url)
      .then(function (response) {
        return response.json();
      })
      .then(setup);
  }
  return loading;
}

var pending = Promise.resolve();
var stub = null;

addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    if (message.data && message.data.docs && message.data.docs.length === 0) {
      stub = message.data; // Material keeps only config and docs of what it fetched
    } else {
      setup(message.data);
    }
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    // answers in the order asked, each once the index is there; Material asks "" when it starts:
    // nothing to find, nothing to load
    var empty = !String(message.data || "").trim();
    pending = pending
      .then(function () {
        return stub && !empty ? ready() : null;
      })
      .then(function () {
        postMessage({ type: RESULT, data: search(message.data) });
      });
  }
});
