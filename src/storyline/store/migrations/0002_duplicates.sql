-- Duplicate detection: per-article features (so new articles are checked against stored ones
-- without recomputing them), the links found, and the parts of composite articles.
CREATE TABLE dedupe_features (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    stage TEXT NOT NULL,                  -- versioned stage name; a new version recomputes
    shingles INTEGER NOT NULL,
    fingerprints INTEGER NOT NULL,
    signature BLOB NOT NULL               -- num_bins little-endian uint32
);
CREATE TABLE dedupe_bands (
    band_key INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX dedupe_bands_key ON dedupe_bands (band_key);
CREATE INDEX dedupe_bands_article ON dedupe_bands (article_id);  -- re-hash and cascade deletes
CREATE TABLE dedupe_fingerprints (
    fingerprint INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX dedupe_fingerprints_value ON dedupe_fingerprints (fingerprint);
CREATE INDEX dedupe_fingerprints_article ON dedupe_fingerprints (article_id);

CREATE TABLE duplicate_links (
    a TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,  -- the original / contained
    b TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,  -- the copy / container
    kind TEXT NOT NULL CHECK (kind IN ('exact', 'near', 'containment', 'composite')),
    similarity REAL NOT NULL,
    a_start INTEGER, a_end INTEGER,       -- span of a found in b
    b_start INTEGER, b_end INTEGER,       -- span of b that holds a
    PRIMARY KEY (a, b)
);
CREATE INDEX duplicate_links_b ON duplicate_links (b);

CREATE TABLE article_parts (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    outlet TEXT,
    duplicate_of TEXT REFERENCES articles (id) ON DELETE SET NULL,
    PRIMARY KEY (article_id, start)
);
