/* Chinese search for the call guide: a drop-in replacement for Material's search worker.

   Material's own worker (lunr + jieba tokens) cannot find a string that cuts across jieba's
   segmentation (远海 in 深远/海) and drops the last character of a Chinese query. This worker
   indexes the same search_index.json with MiniSearch (vendor/, MIT) and the standard CJK analysis:
   Chinese text as overlapping character bigrams (plus single characters), other text as words.
   A query matches a section only if the section holds every bigram of every term of the query;
   when no section has them all, sections that hold any one whole term are shown, with the
   missing terms marked. Titles are boosted, so a topic whose title holds the query comes
   first. Measured against the alternatives in docs/search.md.

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

/* Chinese runs → bigrams (and, when indexing, every single character); other runs → words. */
function analyse(text, forQuery) {
  var out = [];
  var runs = text.toLowerCase().match(TOKEN) || [];
  runs.forEach(function (run) {
    if (!HAN.test(run)) {
      out.push(run);
      return;
    }
    var chars = Array.from(run);
    if (chars.length === 1 || !forQuery) out.push.apply(out, chars);
    for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  });
  return out;
}

function setup(data) {
  docs = data.docs.map(function (doc, id) {
    var title = (doc.title || "").replace(ZWSP, "");
    var text = (doc.text || "").replace(ZWSP, "");
    return { id: id, location: doc.location, title: title, text: text, plain: plainText(title + " " + text) };
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
        return !HAN.test(term); // Latin words by prefix; Chinese bigrams exactly
      },
    },
  });
  index.addAll(docs);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/* The terms as the reader typed them (Chinese runs and words), to highlight and to report missing. */
function queryTerms(query) {
  var seen = {};
  return (query.toLowerCase().match(TOKEN) || []).filter(function (t) {
    return seen[t] ? false : (seen[t] = true);
  });
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

function search(query) {
  var terms = queryTerms(query);
  if (!index || !terms.length) return { items: [] };
  // every term (every bigram of every term); when no section has them all, any one whole term
  var hits = index.search({ combineWith: "AND", queries: terms });
  if (!hits.length && terms.length > 1) {
    hits = index.search({
      combineWith: "OR",
      queries: terms.map(function (t) {
        return { combineWith: "AND", queries: [t] };
      }),
    });
  }

  var pattern = terms.length ? new RegExp(terms.map(escapeRegExp).join("|"), "gi") : null;
  var groups = new Map();
  hits.forEach(function (hit) {
    var doc = docs[hit.id];
    var page = doc.location.split("#")[0];
    var present = {};
    terms.forEach(function (t) {
      present[t] = doc.plain.toLowerCase().indexOf(t) !== -1;
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
  items.sort(function (a, b) {
    return b[0].score - a[0].score; // hits come best first, so each group's first item is its best
  });
  return { items: items };
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
