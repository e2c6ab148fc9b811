-- Articles, where each came from, problems met on the way, and full-text search.
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,                 -- insertion order, for stable listings
    text_hash TEXT NOT NULL,              -- equal for exact duplicates, whatever the metadata
    source TEXT NOT NULL,                 -- the first input the article was read from
    input_id TEXT,
    url TEXT,
    outlet TEXT,
    outlet_inferred INTEGER,
    outlet_evidence TEXT,
    title TEXT,
    title_inferred INTEGER NOT NULL DEFAULT 0,
    byline TEXT,
    language TEXT,
    published TEXT,                       -- '2024-12-05' | '2024-12' | '2024'
    published_granularity TEXT CHECK (published_granularity IN ('day', 'month', 'year')),
    published_inferred INTEGER,
    published_evidence TEXT,
    text TEXT NOT NULL,
    removed_json TEXT NOT NULL DEFAULT '[]',
    parts_json TEXT NOT NULL DEFAULT '[]',
    ingested_at TEXT NOT NULL
);
CREATE UNIQUE INDEX articles_seq ON articles (seq);  -- MAX(seq) in O(log n) per insert
CREATE INDEX articles_text_hash ON articles (text_hash);
CREATE INDEX articles_outlet ON articles (outlet);
CREATE INDEX articles_published ON articles (published);

CREATE TABLE article_sources (
    source TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (source, article_id)
);

CREATE TABLE problems (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    stage TEXT NOT NULL,
    item TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX problems_seq ON problems (seq);

CREATE TABLE stage_runs (
    stage TEXT PRIMARY KEY,               -- versioned stage name, e.g. 'clean.rules.v1'
    finished_at TEXT NOT NULL,
    articles_seen INTEGER NOT NULL
);

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
