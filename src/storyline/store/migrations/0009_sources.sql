-- Sources: fetched pages (raw HTML kept, compressed, so re-extraction needs no re-fetch),
-- subscribed feeds with their conditional-GET validators, and the feed items already seen.
CREATE TABLE fetched_pages (
    url TEXT PRIMARY KEY,                 -- as asked for (a pasted link or a feed item's link)
    final_url TEXT NOT NULL,              -- after redirects
    canonical_url TEXT,                   -- <link rel="canonical"> or og:url, when the page has one
    article_id TEXT,                      -- the article it gave; NULL when it gave none
    status INTEGER NOT NULL,
    content_type TEXT,
    fetched_at TEXT NOT NULL,
    html_zlib BLOB NOT NULL               -- the body as served, zlib-compressed
);
CREATE INDEX fetched_pages_article ON fetched_pages (article_id);
CREATE TABLE feeds (
    url TEXT PRIMARY KEY,
    outlet TEXT,                          -- given with `feeds add --outlet`; else from the domain
    title TEXT,                           -- the feed's own title, once pulled
    etag TEXT,
    last_modified TEXT,
    added_at TEXT NOT NULL,
    last_pulled TEXT,
    last_status TEXT                      -- "200 (3 new)", "304", or the problem's code
);
CREATE TABLE feed_items (
    feed_url TEXT NOT NULL REFERENCES feeds (url) ON DELETE CASCADE,
    item_key TEXT NOT NULL,               -- the entry's id, else its link
    link TEXT,
    article_id TEXT,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_url, item_key)
);
